//! English texts (for visitors and residents who prefer English).

use super::texts::{Section, ServiceText, Texts};

pub static TEXTS: Texts = Texts {
    site_name: "Liguria Health Portal",
    site_description: "The single front door to the public health services of the Liguria Region: health record, bookings, payments, vaccinations, screening and emergency rooms.",
    region_name: "Liguria Region",
    health_service: "Regional Health Service",
    skip_to_content: "Skip to main content",
    nav_label: "Services",
    menu: "Menu",
    language_label: "Language",
    current_language: "current language",
    home_link: "Home page",
    footer_nav_label: "About the portal",
    all_services_label: "All services",
    footer_about: "The Health Portal is the Liguria Region's online service for citizens, local health authorities and hospitals.",
    accessibility_link: "Accessibility statement",
    privacy_link: "Privacy notice",

    home_title: "Liguria's health services, in one place",
    home_intro: "Read your health record, book visits and tests, pay fees, choose your family doctor and check emergency-room waiting times.",
    home_services_heading: "Services",
    home_emergency_note: "In a medical emergency call 112.",

    services: [
        ServiceText { name: "Health record", summary: "Test results, discharge letters, vaccination certificates and your health summary." },
        ServiceText { name: "CUP bookings", summary: "Book, move or cancel visits and tests in every Ligurian health authority." },
        ServiceText { name: "Payments", summary: "Pay health fees with pagoPA and download the receipts." },
        ServiceText { name: "Vaccinations", summary: "Vaccination history, current campaigns and vaccine booking." },
        ServiceText { name: "Cancer screening", summary: "Prevention programmes for breast, cervical and colorectal cancer." },
        ServiceText { name: "Family doctor", summary: "Choose or change your family doctor or your children's paediatrician." },
        ServiceText { name: "Prescriptions", summary: "Your electronic prescriptions and where they were dispensed." },
        ServiceText { name: "Surgery tracker", summary: "Follow the phases of a relative's operation in real time." },
        ServiceText { name: "Emergency rooms", summary: "Patients waiting and in treatment in emergency rooms, by priority code." },
        ServiceText { name: "Where to go now", summary: "Out-of-hours doctor, pharmacies on duty and 116117 when it is not an emergency." },
        ServiceText { name: "Pharmacist area", summary: "For pharmacists: electronic prescriptions from the health card." },
    ],
    back_home: "Back to the home page",

    not_found_title: "Page not found",
    not_found_body: "The page you are looking for does not exist or has moved. Check the address or start again from the home page.",
    error_title: "Something went wrong",
    error_body: "This page could not be shown. Please try again in a few minutes; if the problem persists, contact support and tell them when it happened.",

    accessibility_title: "Accessibility statement",
    accessibility_sections: &[
        Section {
            heading: "Commitment",
            paragraphs: &[
                "The Liguria Region is committed to making the Health Portal accessible, in accordance with Italian Law 4/2004 and the AgID accessibility guidelines, which adopt standard EN 301549 and WCAG 2.1 level AA.",
            ],
        },
        Section {
            heading: "How the portal is built",
            paragraphs: &[
                "Pages work without JavaScript, can be used with the keyboard with an always-visible focus, have a link to skip to the main content and are readable by screen readers.",
                "Colour is never the only way information is given: emergency-room priority codes, for example, always come with their name.",
                "Every page is checked automatically with accessibility testing tools at every change.",
            ],
        },
        Section {
            heading: "Feedback",
            paragraphs: &[
                "If you find a barrier or content that is not accessible, report it to your health authority's public relations office: we will answer within 30 days. If the answer is unsatisfactory you may contact AgID's Digital Ombudsman.",
            ],
        },
    ],
    privacy_title: "Privacy notice",
    privacy_sections: &[
        Section {
            heading: "Data controller",
            paragraphs: &[
                "The data controller is the Liguria Region; the Ligurian health authorities process data for the services they provide, under Regulation (EU) 2016/679 (GDPR).",
            ],
        },
        Section {
            heading: "What data and why",
            paragraphs: &[
                "The portal processes the data needed to provide the services you request: personal details, health data from the Electronic Health Record, bookings and payments.",
                "Every access to your health data is logged and you can see who viewed it.",
            ],
        },
        Section {
            heading: "Cookies",
            paragraphs: &[
                "The portal uses technical cookies only: one to remember the chosen language and, when you sign in, a session cookie. It uses no profiling cookies and no third-party tools.",
            ],
        },
        Section {
            heading: "Your rights",
            paragraphs: &[
                "You can ask for access, correction, restriction and portability of your data from the Liguria Region's Data Protection Officer, and lodge a complaint with the Italian Data Protection Authority.",
            ],
        },
    ],
};
