//! Rules that must give the same answer in the browser and on the server
//! (identifiers with check digits, deadlines). Plain functions, no I/O.
pub mod dates;
pub mod family_doctor;
pub mod fiscal_code;
pub mod triage;
