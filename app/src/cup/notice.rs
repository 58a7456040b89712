//! The one-time messages of CUP bookings and the waiting list, in Italian and English:
//! shown on the next page after a form was sent (see [`crate::notice`]).

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CupNotice {
    BookingConfirmed,
    BookingMoved,
    BookingCancelled,
    BookingNotFound,
    BookingNotAllowed,
    SlotTaken,
    SlotInPast,
    SlotWrongService,
    SlotNotFound,
    PrescriptionAlreadyBooked,
    NreNotUsable,
    ChangeClosed,
    WaitingListJoined,
    WaitingListAlready,
    WaitingListNotNeeded,
    OfferAccepted,
    OfferDeclined,
    OfferExpired,
}

impl CupNotice {
    /// Whether the message reports a failure (shown as an alert).
    pub fn is_error(self) -> bool {
        !matches!(
            self,
            CupNotice::BookingConfirmed
                | CupNotice::BookingMoved
                | CupNotice::BookingCancelled
                | CupNotice::WaitingListJoined
                | CupNotice::OfferAccepted
                | CupNotice::OfferDeclined
        )
    }

    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (CupNotice::BookingConfirmed, Lang::It) => "Prenotazione confermata: qui sotto trovi codice, luogo, orario e il promemoria da scaricare.",
            (CupNotice::BookingConfirmed, Lang::En) => "Booking confirmed: below are the code, place, time and the reminder to download.",
            (CupNotice::BookingMoved, Lang::It) => "Prenotazione spostata: il posto precedente è stato liberato.",
            (CupNotice::BookingMoved, Lang::En) => "Booking moved: the previous slot has been released.",
            (CupNotice::BookingCancelled, Lang::It) => "Prenotazione disdetta: il posto è di nuovo disponibile per altri.",
            (CupNotice::BookingCancelled, Lang::En) => "Booking cancelled: the slot is available to others again.",
            (CupNotice::BookingNotFound, Lang::It) => "Prenotazione non trovata tra quelle attive della persona per cui stai agendo.",
            (CupNotice::BookingNotFound, Lang::En) => "Booking not found among the active ones of the person you are acting for.",
            (CupNotice::BookingNotAllowed, Lang::It) => "Non puoi prenotare per questa persona: la delega non comprende le prenotazioni.",
            (CupNotice::BookingNotAllowed, Lang::En) => "You cannot book for this person: the delegation does not include bookings.",
            (CupNotice::SlotTaken, Lang::It) => "Il posto è appena stato prenotato da un'altra persona: ecco i prossimi disponibili.",
            (CupNotice::SlotTaken, Lang::En) => "Someone has just booked that slot: here are the next available ones.",
            (CupNotice::SlotInPast, Lang::It) => "Quell'orario è già passato: scegli uno dei posti proposti.",
            (CupNotice::SlotInPast, Lang::En) => "That time has already passed: choose one of the slots offered.",
            (CupNotice::SlotWrongService, Lang::It) => "Quel posto è per un'altra prestazione: scegli uno dei posti proposti.",
            (CupNotice::SlotWrongService, Lang::En) => "That slot is for another service: choose one of the slots offered.",
            (CupNotice::SlotNotFound, Lang::It) => "Posto non trovato: scegli uno dei posti proposti.",
            (CupNotice::SlotNotFound, Lang::En) => "Slot not found: choose one of the slots offered.",
            (CupNotice::PrescriptionAlreadyBooked, Lang::It) => "Con questa ricetta c'è già una prenotazione attiva: per cambiare data usa «Sposta».",
            (CupNotice::PrescriptionAlreadyBooked, Lang::En) => "This prescription already has an active booking: to change the date use “Move”.",
            (CupNotice::NreNotUsable, Lang::It) => "Questa ricetta non si può prenotare: controlla il codice NRE e la scadenza.",
            (CupNotice::NreNotUsable, Lang::En) => "This prescription cannot be booked: check the NRE code and its expiry.",
            (CupNotice::ChangeClosed, Lang::It) => "Mancano meno di 24 ore all'appuntamento: disdetta e spostamento non sono più possibili online. Chiama il CUP.",
            (CupNotice::ChangeClosed, Lang::En) => "The appointment is less than 24 hours away: it can no longer be cancelled or moved online. Call the CUP.",
            (CupNotice::WaitingListJoined, Lang::It) => "Sei in lista d'attesa: la richiesta è presa in carico. Ti offriremo il primo posto che si libera entro la scadenza della priorità.",
            (CupNotice::WaitingListJoined, Lang::En) => "You are on the waiting list: your request has been taken in charge. We will offer you the first slot that frees up within the priority's deadline.",
            (CupNotice::WaitingListAlready, Lang::It) => "Questa ricetta è già in lista d'attesa.",
            (CupNotice::WaitingListAlready, Lang::En) => "This prescription is already on the waiting list.",
            (CupNotice::WaitingListNotNeeded, Lang::It) => "Ci sono posti liberi entro la scadenza: prenota uno di quelli proposti.",
            (CupNotice::WaitingListNotNeeded, Lang::En) => "There are free slots within the deadline: book one of those offered.",
            (CupNotice::OfferAccepted, Lang::It) => "Posto accettato: la prenotazione è confermata.",
            (CupNotice::OfferAccepted, Lang::En) => "Slot accepted: the booking is confirmed.",
            (CupNotice::OfferDeclined, Lang::It) => "Posto rifiutato: resti in lista d'attesa con la tua posizione.",
            (CupNotice::OfferDeclined, Lang::En) => "Slot declined: you stay on the waiting list in your place.",
            (CupNotice::OfferExpired, Lang::It) => "L'offerta non è più valida: il tempo per accettarla è scaduto. Resti in lista d'attesa.",
            (CupNotice::OfferExpired, Lang::En) => "The offer is no longer valid: the time to accept it has run out. You stay on the waiting list.",
        }
    }
}
