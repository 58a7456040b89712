//! The one-time messages of vaccination and screening appointments, in Italian and English:
//! shown on the next page after a form was sent (see [`crate::notice`]).

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppointmentNotice {
    AppointmentConfirmed,
    AppointmentMoved,
    AppointmentCancelled,
    AppointmentNotOffered,
    AppointmentAlreadyBooked,
}

impl AppointmentNotice {
    /// Whether the message reports a failure (shown as an alert).
    pub fn is_error(self) -> bool {
        !matches!(
            self,
            AppointmentNotice::AppointmentConfirmed
                | AppointmentNotice::AppointmentMoved
                | AppointmentNotice::AppointmentCancelled
        )
    }

    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (AppointmentNotice::AppointmentConfirmed, Lang::It) => {
                "Appuntamento prenotato. Trovi data, luogo e codice qui sotto; è gratuito."
            }
            (AppointmentNotice::AppointmentConfirmed, Lang::En) => {
                "Appointment booked. Date, place and code are below; it is free of charge."
            }
            (AppointmentNotice::AppointmentMoved, Lang::It) => {
                "Appuntamento spostato: il posto precedente è di nuovo libero."
            }
            (AppointmentNotice::AppointmentMoved, Lang::En) => "Appointment moved: the previous place is free again.",
            (AppointmentNotice::AppointmentCancelled, Lang::It) => {
                "Appuntamento disdetto: il posto è di nuovo libero per altri."
            }
            (AppointmentNotice::AppointmentCancelled, Lang::En) => {
                "Appointment cancelled: the place is free for others again."
            }
            (AppointmentNotice::AppointmentNotOffered, Lang::It) => {
                "Questa prenotazione non è disponibile per te ora: la pagina spiega a chi è offerta e quando."
            }
            (AppointmentNotice::AppointmentNotOffered, Lang::En) => {
                "This booking is not available to you now: the page explains who it is for and when."
            }
            (AppointmentNotice::AppointmentAlreadyBooked, Lang::It) => {
                "Hai già un appuntamento per questa vaccinazione o questo esame: puoi spostarlo o disdirlo."
            }
            (AppointmentNotice::AppointmentAlreadyBooked, Lang::En) => {
                "You already have an appointment for this vaccination or exam: you can move or cancel it."
            }
        }
    }
}
