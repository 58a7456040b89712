//! Texts of the inbox, in every language.

use crate::i18n::{current_lang, Lang};

pub struct NotificationTexts {
    pub title: &'static str,
    pub lead: &'static str,
    pub none: &'static str,
    pub unread: &'static str,
    pub new: &'static str,
    pub for_child: &'static str,
    pub open: &'static str,
    pub mark_read: &'static str,
    pub mark_all_read: &'static str,
}

pub static IT: NotificationTexts = NotificationTexts {
    title: "Notifiche",
    lead: "Gli avvisi del portale per te e per i tuoi figli minori: posti offerti dalla lista d'attesa, esiti di pagamento arrivati in seguito.",
    none: "Nessuna notifica.",
    unread: "Da leggere:",
    new: "Nuova",
    for_child: "Per",
    open: "Apri",
    mark_read: "Segna come letta",
    mark_all_read: "Segna tutte come lette",
};

pub static EN: NotificationTexts = NotificationTexts {
    title: "Notifications",
    lead: "The portal's messages for you and your minor children: slots offered from the waiting list, payment outcomes that arrived later.",
    none: "No notifications.",
    unread: "Unread:",
    new: "New",
    for_child: "For",
    open: "Open",
    mark_read: "Mark as read",
    mark_all_read: "Mark all as read",
};

pub fn notification_texts() -> &'static NotificationTexts {
    match current_lang() {
        Lang::It => &IT,
        Lang::En => &EN,
    }
}
