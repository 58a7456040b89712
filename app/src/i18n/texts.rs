//! The shape of every language's texts. Adding a field here makes every
//! language file fail to compile until it is translated.

use crate::services::model::Service;

/// Name and one-line summary of a service, for tiles and navigation.
pub struct ServiceText {
    /// Short name used in navigation ("Prenotazioni CUP").
    pub name: &'static str,
    /// One sentence saying what a person can do there.
    pub summary: &'static str,
}

/// A titled block of paragraphs, for the informational pages.
pub struct Section {
    pub heading: &'static str,
    pub paragraphs: &'static [&'static str],
}

/// All user-visible text of the portal in one language.
pub struct Texts {
    pub site_name: &'static str,
    pub site_description: &'static str,
    pub region_name: &'static str,
    pub health_service: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub menu: &'static str,
    pub language_label: &'static str,
    pub current_language: &'static str,
    pub home_link: &'static str,
    pub footer_nav_label: &'static str,
    /// The footer's list of every service (where "Menu" leads without JavaScript).
    pub all_services_label: &'static str,
    pub footer_about: &'static str,
    pub accessibility_link: &'static str,
    pub privacy_link: &'static str,

    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub home_services_heading: &'static str,
    pub home_emergency_note: &'static str,

    /// Indexed by `Service as usize`, in `Service::ALL` order.
    pub services: [ServiceText; Service::COUNT],
    pub back_home: &'static str,

    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub error_title: &'static str,
    pub error_body: &'static str,

    pub accessibility_title: &'static str,
    pub accessibility_sections: &'static [Section],
    pub privacy_title: &'static str,
    pub privacy_sections: &'static [Section],
}

impl Texts {
    /// Name and summary of one service.
    pub fn service(&self, service: Service) -> &ServiceText {
        &self.services[service as usize]
    }
}
