//! `/fascicolo/taccuino`: the personal notebook — files the citizen uploads
//! to the record, to download or delete.

use leptos::prelude::*;

use super::{section_page, FseSection};
use crate::domain::dates::italian_date;
use crate::fse::api::load_notebook;
use crate::fse::forms::{ADD_TO_NOTEBOOK, DELETE_FROM_NOTEBOOK, NOTEBOOK_FILE, NOTEBOOK_TITLE};
use crate::fse::model::{size_text, NotebookPage, NOTEBOOK_MAX_BYTES};
use crate::fse::texts::{fse_texts, FseTexts};
use crate::ui::form_post::action_for;
use crate::ui::loaded_view;
use crate::ui::NativeSubmit;

#[component]
pub fn NotebookPageView() -> impl IntoView {
    let t = fse_texts();
    section_page(
        FseSection::Notebook,
        t.notebook_title,
        t.notebook_lead,
        loaded_view(load_notebook, move |page| {
            view! { <NotebookView page t /> }
        }),
    )
}

#[component]
fn NotebookView(page: NotebookPage, t: &'static FseTexts) -> impl IntoView {
    let NotebookPage { entries, can_change } = page;
    view! {
        {can_change
            .then(|| {
                view! {
                    <form
                        method="post"
                        action=ADD_TO_NOTEBOOK
                        enctype="multipart/form-data"
                        class="filters mt-6"
                        aria-labelledby="aggiungi"
                    >
                        <NativeSubmit />
                        <h2 id="aggiungi" class="text-xl font-semibold">{t.upload_heading}</h2>
                        <div class="mt-3 grid gap-4 sm:grid-cols-2">
                            <div class="flex flex-col gap-1">
                                <label for="titolo" class="font-semibold">{t.upload_title}</label>
                                <input id="titolo" name=NOTEBOOK_TITLE type="text" class="field" required=true maxlength="120" />
                            </div>
                            <div class="flex flex-col gap-1">
                                <label for="file" class="font-semibold">{t.upload_file}</label>
                                <input
                                    id="file"
                                    name=NOTEBOOK_FILE
                                    type="file"
                                    class="field"
                                    required=true
                                    accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
                                    data-max-bytes=NOTEBOOK_MAX_BYTES.to_string()
                                />
                            </div>
                        </div>
                        <button type="submit" class="button-primary mt-4">{t.upload}</button>
                    </form>
                }
            })}
        <section class="mt-8" aria-labelledby="elenco-taccuino">
            <h2 id="elenco-taccuino" class="text-2xl font-semibold">{t.notebook_list}</h2>
            {if entries.is_empty() {
                view! { <p class="mt-2">{t.notebook_empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 flex flex-col gap-3">
                        {entries
                            .into_iter()
                            .map(|entry| {
                                let download = format!("/fascicolo/taccuino/{}/file", entry.id);
                                let delete = action_for(DELETE_FROM_NOTEBOOK, &entry.id.to_string());
                                let download_label = format!("{} {}", t.download, entry.title);
                                let delete_label = format!("{} {}", t.delete, entry.title);
                                view! {
                                    <li class="card">
                                        <h3 class="text-lg font-semibold">{entry.title.clone()}</h3>
                                        <p>
                                            {format!(
                                                "{} · {} · {} {}",
                                                entry.file_name,
                                                size_text(entry.size_bytes),
                                                t.uploaded_on,
                                                italian_date(&entry.uploaded_on),
                                            )}
                                        </p>
                                        <div class="mt-2 flex flex-wrap items-center gap-4">
                                            <a class="link" rel="external" download="" href=download aria-label=download_label>
                                                {t.download}
                                            </a>
                                            {can_change
                                                .then(|| {
                                                    view! {
                                                        <form method="post" action=delete>
                                                            <NativeSubmit />
                                                            <button type="submit" class="button-secondary" aria-label=delete_label>
                                                                {t.delete}
                                                            </button>
                                                        </form>
                                                    }
                                                })}
                                        </div>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}
