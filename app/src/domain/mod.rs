//! Rules that must give the same answer in the browser and on the server
//! (identifiers with check digits, deadlines, which characters free text
//! may hold). Plain functions, no I/O.
pub mod cup;
pub mod dates;
pub mod family_doctor;
pub mod fiscal_code;
pub mod geo;
pub mod health_card;
pub mod income_exemption;
pub mod money;
pub mod pagopa;
pub mod screening;
pub mod text;
pub mod triage;
pub mod vaccination;
