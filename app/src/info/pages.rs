//! Accessibility statement and privacy notice.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{use_texts, Section};
use crate::ui::PageHeading;

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <Title text=t.accessibility_title />
        <PageHeading title=t.accessibility_title />
        <Sections sections=t.accessibility_sections />
    }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <Title text=t.privacy_title />
        <PageHeading title=t.privacy_title />
        <Sections sections=t.privacy_sections />
    }
}

#[component]
fn Sections(sections: &'static [Section]) -> impl IntoView {
    sections
        .iter()
        .map(|section| {
            view! {
                <section class="mt-8 max-w-prose">
                    <h2 class="text-2xl font-bold">{section.heading}</h2>
                    {section.paragraphs.iter().map(|paragraph| view! { <p class="mt-3">{*paragraph}</p> }).collect_view()}
                </section>
            }
        })
        .collect_view()
}
