//! `/fascicolo`: the citizen's documents, filtered by kind, dates and
//! facility, one page at a time, with the link to the FHIR export.

use leptos::prelude::*;

use super::{query_value, section_page, DocumentRow, FseSection};
use crate::access_log::model::valid_day;
use crate::fse::api::load_documents;
use crate::fse::model::{DocumentFilter, DocumentKind, DocumentsPage};
use crate::fse::texts::{fse_texts, FseTexts};
use crate::ui::loaded_view;
use crate::ui::NativeSubmit;

fn filter_from_query() -> DocumentFilter {
    DocumentFilter {
        kind: query_value("tipo").as_deref().and_then(DocumentKind::from_slug),
        from: query_value("dal").as_deref().and_then(valid_day),
        to: query_value("al").as_deref().and_then(valid_day),
        facility: query_value("struttura").and_then(|id| id.parse().ok()),
        page: query_value("pagina").and_then(|page| page.parse().ok()).filter(|page| *page >= 1).unwrap_or(1),
    }
}

#[component]
pub fn DocumentsPageView() -> impl IntoView {
    let t = fse_texts();
    let filter = filter_from_query();
    let query = filter.clone();
    section_page(
        FseSection::Documents,
        t.title,
        t.lead,
        loaded_view(
            move || load_documents(query.clone()),
            move |page| view! { <DocumentList page filter=filter.clone() t /> },
        ),
    )
}

#[component]
fn DocumentList(page: DocumentsPage, filter: DocumentFilter, t: &'static FseTexts) -> impl IntoView {
    let DocumentsPage { documents, total, page: current, pages, facilities, new_count } = page;
    view! {
        <form method="get" action="/fascicolo" class="filters no-print mt-6" aria-labelledby="filtri-documenti">
            <NativeSubmit />
            <h2 id="filtri-documenti" class="text-xl font-semibold">{t.filters}</h2>
            <div class="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
                <div class="flex flex-col gap-1">
                    <label for="filtro-tipo" class="font-semibold">{t.kind_label}</label>
                    <select id="filtro-tipo" name="tipo" class="field">
                        <option value="" selected=filter.kind.is_none()>{t.any_kind}</option>
                        {DocumentKind::ALL
                            .into_iter()
                            .map(|kind| {
                                view! { <option value=kind.slug() selected=filter.kind == Some(kind)>{t.kind(kind)}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="flex flex-col gap-1">
                    <label for="filtro-dal" class="font-semibold">{t.from}</label>
                    <input id="filtro-dal" name="dal" type="date" class="field" value=filter.from.clone().unwrap_or_default() />
                </div>
                <div class="flex flex-col gap-1">
                    <label for="filtro-al" class="font-semibold">{t.to}</label>
                    <input id="filtro-al" name="al" type="date" class="field" value=filter.to.clone().unwrap_or_default() />
                </div>
                <div class="flex flex-col gap-1">
                    <label for="filtro-struttura" class="font-semibold">{t.facility}</label>
                    <select id="filtro-struttura" name="struttura" class="field">
                        <option value="" selected=filter.facility.is_none()>{t.any_facility}</option>
                        {facilities
                            .into_iter()
                            .map(|facility| {
                                let selected = filter.facility == Some(facility.id);
                                view! { <option value=facility.id.to_string() selected=selected>{facility.name}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
            </div>
            <div class="mt-4 flex flex-wrap items-center gap-4">
                <button type="submit" class="button-primary">{t.apply}</button>
                <a class="link" rel="external" href="/fascicolo">{t.reset}</a>
            </div>
        </form>
        <p class="mt-6" role="status">
            {format!("{} {total}", t.found)}
            {(new_count > 0).then(|| format!(" · {} {new_count}", t.new_count))}
        </p>
        {if documents.is_empty() {
            view! { <p class="mt-2">{t.none_found}</p> }.into_any()
        } else {
            view! {
                <ul class="mt-3 flex flex-col gap-3" aria-label=t.documents_link>
                    {documents.into_iter().map(|document| view! { <DocumentRow document t /> }).collect_view()}
                </ul>
            }
            .into_any()
        }}
        <Pager filter current pages t />
        <p class="no-print mt-8">
            <a class="link" rel="external" download="" href="/fascicolo/esporta/fhir.json">{t.export_link}</a>
        </p>
        <p class="no-print mt-1 text-muted">{t.export_note}</p>
    }
}

#[component]
fn Pager(filter: DocumentFilter, current: u32, pages: u32, t: &'static FseTexts) -> impl IntoView {
    (pages > 1).then(|| {
        let previous = (current > 1).then(|| format!("/fascicolo?{}", filter.query(current - 1)));
        let next = (current < pages).then(|| format!("/fascicolo?{}", filter.query(current + 1)));
        view! {
            <nav aria-label=t.pages_label class="no-print mt-6 flex flex-wrap items-center gap-6">
                {previous.map(|href| view! { <a class="link" rel="external" href=href>{t.previous}</a> })}
                <span>{format!("{} {current} {} {pages}", t.page_of.0, t.page_of.1)}</span>
                {next.map(|href| view! { <a class="link" rel="external" href=href>{t.next}</a> })}
            </nav>
        }
    })
}
