//! A consent's state and the one button that flips it, as the FSE's
//! consultation consent and the health-card consent show them.

use leptos::prelude::*;

use super::NativeSubmit;

/// The words of a consent switch, in the page's language.
#[derive(Clone, Copy)]
pub struct ConsentWords {
    pub given: &'static str,
    pub missing: &'static str,
    pub give: &'static str,
    pub withdraw: &'static str,
    /// What someone who may not change it reads instead of the button.
    pub only_owner: &'static str,
}

/// The state (`state_id` names it for tests and links) and, for whoever may
/// change it, a form post to `action` sending `field=1` to give the consent
/// or `field=0` to withdraw it.
#[component]
pub fn ConsentSwitch(
    action: &'static str,
    field: &'static str,
    given: bool,
    can_change: bool,
    words: ConsentWords,
    #[prop(optional)] state_id: Option<&'static str>,
) -> impl IntoView {
    let (state, button, value) =
        if given { (words.given, words.withdraw, "0") } else { (words.missing, words.give, "1") };
    view! {
        <p class="mt-3 text-lg font-semibold" id=state_id>{state}</p>
        {if can_change {
            view! {
                <form method="post" action=action class="mt-3">
                    <NativeSubmit />
                    <input type="hidden" name=field value=value />
                    <button type="submit" class="button-primary">{button}</button>
                </form>
            }
            .into_any()
        } else {
            view! { <p class="mt-2 text-muted">{words.only_owner}</p> }.into_any()
        }}
    }
}
