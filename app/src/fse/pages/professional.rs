//! `/professionisti/fascicolo`: a professional consults a patient's record by
//! fiscal code — the documents not obscured, if the patient has consented.

use leptos::prelude::*;
use leptos_meta::Title;

use super::query_value;
use crate::domain::dates::italian_date;
use crate::fse::api::consult_record;
use crate::fse::model::ProfessionalView;
use crate::fse::texts::fse_texts;
use crate::ui::PageHeading;
use crate::ui::{AccessErrorView, NativeSubmit};

#[component]
pub fn ConsultPageView() -> impl IntoView {
    let t = fse_texts();
    let patient = query_value("cf").map(|code| code.trim().to_uppercase()).filter(|code| code.len() == 16);
    let typed = patient.clone().unwrap_or_default();
    let view_of = Resource::new(
        move || patient.clone(),
        |patient| async move {
            match patient {
                Some(patient) => consult_record(patient).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text=t.consult_title />
        <PageHeading title=t.consult_title lead=t.consult_lead />
        <form method="get" action="/professionisti/fascicolo" class="filters mt-6">
            <NativeSubmit />
            <div class="flex flex-wrap items-end gap-4">
                <div class="flex flex-col gap-1">
                    <label for="cf" class="font-semibold">{t.patient_code}</label>
                    <input id="cf" name="cf" type="text" class="field uppercase" required=true minlength="16" maxlength="16"
                        autocomplete="off" spellcheck="false" value=typed />
                </div>
                <button type="submit" class="button-primary">{t.consult}</button>
            </div>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match view_of.await {
                    Ok(None) => ().into_any(),
                    Ok(Some(ProfessionalView::UnknownPatient)) => view! {
                        <p class="notice notice-error mt-6" role="alert">{t.unknown_patient}</p>
                    }
                    .into_any(),
                    Ok(Some(ProfessionalView::ConsentMissing)) => view! {
                        <p class="notice notice-info mt-6" role="status">{t.no_consent}</p>
                    }
                    .into_any(),
                    Ok(Some(ProfessionalView::Documents { patient, documents })) => view! {
                        <section class="mt-8" aria-labelledby="documenti-paziente">
                            <h2 id="documenti-paziente" class="text-2xl font-semibold">
                                {format!("{} {}", t.documents_of, patient.full_name())}
                            </h2>
                            <p class="mt-1 text-muted">{t.obscured_not_shown}</p>
                            <ul class="mt-3 flex flex-col gap-3">
                                {documents
                                    .into_iter()
                                    .map(|document| view! {
                                        <li class="card">
                                            <p class="font-semibold">{document.title}</p>
                                            <p>{format!("{} · {} · {}", italian_date(&document.issued_on), t.kind(document.kind), document.facility)}</p>
                                        </li>
                                    })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                    .into_any(),
                    Err(error) => view! { <AccessErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
