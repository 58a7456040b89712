//! `/notifiche`: the inbox, newest first. Opening a notification marks it
//! read (a form post that then goes to its page).

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::load_inbox;
use super::forms::{MARK_ALL_READ, MARK_READ, OPEN_NOTIFICATION};
use super::model::{Inbox, Notification};
use super::texts::{notification_texts, NotificationTexts};
use crate::ui::form_post::action_for;
use crate::ui::PageHeading;
use crate::ui::{loaded_view, NativeSubmit};

#[component]
pub fn InboxPage() -> impl IntoView {
    let t = notification_texts();
    view! {
        <Title text=t.title />
        <PageHeading title=t.title lead=t.lead />
        {loaded_view(load_inbox, move |inbox| view! { <InboxList inbox t /> })}
    }
}

#[component]
fn InboxList(inbox: Inbox, t: &'static NotificationTexts) -> impl IntoView {
    let Inbox { notifications, unread } = inbox;
    if notifications.is_empty() {
        return view! { <p class="mt-6">{t.none}</p> }.into_any();
    }
    view! {
        <div class="mt-6 flex flex-wrap items-center gap-4">
            <p class="m-0 text-lg">{format!("{} {unread}", t.unread)}</p>
            {(unread > 0)
                .then(|| view! {
                    <form method="post" action=MARK_ALL_READ>
                        <NativeSubmit />
                        <button type="submit" class="button-secondary">{t.mark_all_read}</button>
                    </form>
                })}
        </div>
        <ul class="mt-4 flex flex-col gap-4" aria-label=t.title>
            {notifications.into_iter().map(|notification| view! { <Item notification t /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Item(notification: Notification, t: &'static NotificationTexts) -> impl IntoView {
    let Notification { id, message, created_at_local, read, for_child, .. } = notification;
    let open = action_for(OPEN_NOTIFICATION, &id.to_string());
    let mark = action_for(MARK_READ, &id.to_string());
    view! {
        <li class="card">
            <p class="m-0 flex flex-wrap items-center gap-2">
                {(!read).then(|| view! { <span class="badge badge-new">{t.new}</span> })}
                <span class="text-muted">{created_at_local}</span>
                {for_child.map(|name| view! { <span class="font-semibold">{format!("{} {name}", t.for_child)}</span> })}
            </p>
            <p class="mt-2">{message.clone()}</p>
            <div class="mt-3 flex flex-wrap gap-3">
                <form method="post" action=open>
                    <NativeSubmit />
                    <button type="submit" class="button-primary">
                        {t.open}
                        <span class="sr-only">{format!(": {message}")}</span>
                    </button>
                </form>
                {(!read)
                    .then(|| view! {
                        <form method="post" action=mark>
                            <NativeSubmit />
                            <button type="submit" class="button-secondary">
                                {t.mark_read}
                                <span class="sr-only">{format!(": {message}")}</span>
                            </button>
                        </form>
                    })}
            </div>
        </li>
    }
}
