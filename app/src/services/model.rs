//! The services of the portal, in the order the home page and the header show
//! them. Their slugs are the routes listed in docs/ARCHITECTURE.md ("Routes").

use serde::{Deserialize, Serialize};

/// A service of the portal, one per capability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Service {
    Fascicolo,
    Prenotazioni,
    Pagamenti,
    Vaccinazioni,
    Screening,
    Medico,
    Ricette,
    Interventi,
    ProntoSoccorso,
    DoveAndare,
    Farmacia,
}

impl Service {
    pub const COUNT: usize = 11;

    /// Every service, in display order (also the index into the texts).
    pub const ALL: [Service; Service::COUNT] = [
        Service::Fascicolo,
        Service::Prenotazioni,
        Service::Pagamenti,
        Service::Vaccinazioni,
        Service::Screening,
        Service::Medico,
        Service::Ricette,
        Service::Interventi,
        Service::ProntoSoccorso,
        Service::DoveAndare,
        Service::Farmacia,
    ];

    /// The route segment (Italian, part of the product).
    pub fn slug(self) -> &'static str {
        match self {
            Service::Fascicolo => "fascicolo",
            Service::Prenotazioni => "prenotazioni",
            Service::Pagamenti => "pagamenti",
            Service::Vaccinazioni => "vaccinazioni",
            Service::Screening => "screening",
            Service::Medico => "medico",
            Service::Ricette => "ricette",
            Service::Interventi => "interventi",
            Service::ProntoSoccorso => "pronto-soccorso",
            Service::DoveAndare => "dove-andare",
            Service::Farmacia => "farmacia",
        }
    }

    /// The path of the service's page.
    pub fn href(self) -> String {
        format!("/{}", self.slug())
    }

    /// Finds a service by its route segment.
    pub fn from_slug(slug: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|service| service.slug() == slug)
    }

    /// SVG path data of the service's icon (24×24, stroked).
    pub fn icon_path(self) -> &'static str {
        match self {
            // folder
            Service::Fascicolo => "M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z",
            // calendar
            Service::Prenotazioni => "M4 6h16v14H4zM4 10h16M8 3v4M16 3v4",
            // card
            Service::Pagamenti => "M3 6h18v12H3zM3 10h18M7 15h4",
            // syringe
            Service::Vaccinazioni => "M18 2l4 4M16 4l4 4M19 5l-9 9M8 12l4 4M5 19l3-3M10 10l4 4-6 6-4-4z",
            // shield
            Service::Screening => "M12 3l8 3v6c0 4.5-3.4 8.2-8 9-4.6-.8-8-4.5-8-9V6z",
            // stethoscope
            Service::Medico => "M6 3v6a4 4 0 0 0 8 0V3M10 13v3a5 5 0 0 0 10 0v-2M20 12a2 2 0 1 0 0-.01",
            // prescription sheet
            Service::Ricette => "M6 3h9l4 4v14H6zM9 12h6M9 16h6M9 8h3",
            // heartbeat
            Service::Interventi => "M3 12h4l2-5 4 10 2-5h6",
            // cross
            Service::ProntoSoccorso => "M9 3h6v6h6v6h-6v6H9v-6H3V9h6z",
            // map pin
            Service::DoveAndare => {
                "M12 21s-7-6.2-7-11a7 7 0 0 1 14 0c0 4.8-7 11-7 11zM12 12.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z"
            }
            // pharmacy: pill
            Service::Farmacia => "M10.5 3.5a5 5 0 0 1 7 7l-7 7a5 5 0 0 1-7-7zM7 7l7 7",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_is_found_by_its_own_slug() {
        for service in Service::ALL {
            assert_eq!(Service::from_slug(service.slug()), Some(service));
        }
    }

    #[test]
    fn display_order_matches_the_text_index() {
        for (index, service) in Service::ALL.into_iter().enumerate() {
            assert_eq!(service as usize, index);
        }
    }

    #[test]
    fn an_unknown_slug_is_no_service() {
        assert_eq!(Service::from_slug("casa"), None);
        assert_eq!(Service::from_slug(""), None);
    }
}
