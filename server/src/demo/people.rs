//! Residents: the demo households (families with minor children, elderly
//! people, adults of screening age) and, at regional scale, synthetic
//! residents spread over the towns by population. Each gets a valid fiscal
//! code, a health card and a family doctor or paediatrician of their area.

use app::domain::fiscal_code::{name_part, surname_part, FiscalCode};
use chrono::{Datelike, Duration, NaiveDate};
use sqlx::AnyConnection;
use std::collections::{HashMap, HashSet};

use super::insert::{insert_rows, row};
use super::reference::{FEMALE_NAMES, MALE_NAMES, STREETS, SURNAMES};
use super::rng::Rng;
use super::territory::Territory;
use super::{Report, Scale};

/// Massimale of a family doctor (MMG) — docs/DOMAIN.md (check).
pub const MMG_MAX_PATIENTS: i64 = 1_500;
/// Massimale of a paediatrician (PLS) — docs/DOMAIN.md (check).
pub const PLS_MAX_PATIENTS: i64 = 800;
/// Below this age a child is registered with a paediatrician (PLS).
pub const PLS_UNTIL_AGE: i32 = 14;
/// Health cards (TS-CNS) numbers start with this prefix — docs/DOMAIN.md (check).
pub const HEALTH_CARD_PREFIX: &str = "80380";

/// Number of demo households and their people, fixed by the plan below.
const DEMO_FAMILIES: usize = 12;
const DEMO_ELDERLY_HOUSEHOLDS: usize = 10;
const DEMO_ADULTS: usize = 16;

#[derive(Clone, Debug)]
pub struct Person {
    pub fiscal_code: String,
    pub given_name: String,
    pub family_name: String,
    pub birth: NaiveDate,
    pub female: bool,
    pub municipality: &'static str,
    pub care_area_id: i64,
    pub address: String,
    pub card_number: String,
    pub card_expiry: NaiveDate,
    pub risk_groups: Vec<&'static str>,
    /// Part of the demo households (gets a full clinical history).
    pub demo: bool,
}

impl Person {
    pub fn age_on(&self, day: NaiveDate) -> i32 {
        let mut age = day.year() - self.birth.year();
        if (day.month(), day.day()) < (self.birth.month(), self.birth.day()) {
            age -= 1;
        }
        age
    }
}

pub struct Doctor {
    pub id: i64,
    pub kind: &'static str,
    pub fiscal_code: String,
    pub given_name: String,
    pub family_name: String,
    pub care_area_id: i64,
    pub municipality: &'static str,
}

pub struct Population {
    pub people: Vec<Person>,
    /// (parent index, child index) into `people`.
    pub guardianships: Vec<(usize, usize)>,
    pub doctors: Vec<Doctor>,
    /// (person index, doctor id)
    pub choices: Vec<(usize, i64)>,
}

/// How many people the demo households hold, from the plan below (two
/// parents and one to three children per family; couples in two elderly
/// households out of three; single adults).
pub fn demo_household_count() -> u32 {
    let family_people: usize = (0..DEMO_FAMILIES).map(|family| 2 + 1 + family % 3).sum();
    let elderly_people: usize =
        (0..DEMO_ELDERLY_HOUSEHOLDS).map(|household| if household % 3 == 2 { 1 } else { 2 }).sum();
    (family_people + elderly_people + DEMO_ADULTS) as u32
}

struct Generator<'a> {
    rng: Rng,
    today: NaiveDate,
    territory: &'a Territory,
    codes: HashSet<String>,
    people: Vec<Person>,
    guardianships: Vec<(usize, usize)>,
}

impl Population {
    pub fn generate(seed: u64, scale: Scale, territory: &Territory, today: NaiveDate) -> Population {
        let mut generator = Generator {
            rng: Rng::new(seed),
            today,
            territory,
            codes: HashSet::new(),
            people: Vec::new(),
            guardianships: Vec::new(),
        };
        generator.demo_households();
        if let Scale::Regional(total) = scale {
            generator.regional_residents(total as usize);
        }
        let (doctors, choices) = assign_doctors(&mut generator.rng, &generator.people, territory, today);
        Population { people: generator.people, guardianships: generator.guardianships, doctors, choices }
    }
}

impl Generator<'_> {
    fn demo_households(&mut self) {
        let towns: Vec<&'static str> = self.territory.towns.iter().map(|t| t.belfiore).collect();
        // Families: two parents and one to three minor children whose ages
        // cover the paediatric bands (0-5, 6-13, 14-17).
        for family in 0..DEMO_FAMILIES {
            let town = towns[family % towns.len()];
            let surname = SURNAMES[family % SURNAMES.len()];
            let address = self.address();
            let mother_age = self.rng.between(33, 48) as i32;
            let mother = self.add_person(surname, true, mother_age, town, &address, true);
            let father_surname = SURNAMES[(family + 7) % SURNAMES.len()];
            let father_age = self.rng.between(35, 52) as i32;
            let father = self.add_person(father_surname, false, father_age, town, &address, true);
            let child_ages = [(family * 5 + 1) % 18, (family * 7 + 9) % 18, (family * 3 + 15) % 18];
            for &age in child_ages.iter().take(1 + family % 3) {
                let female = self.rng.chance(50);
                let child = self.add_person(father_surname, female, age as i32, town, &address, true);
                self.guardianships.push((mother, child));
                self.guardianships.push((father, child));
            }
        }
        // Elderly people, alone or in couples, often with risk conditions.
        for household in 0..DEMO_ELDERLY_HOUSEHOLDS {
            let town = towns[(household * 3 + 1) % towns.len()];
            let surname = SURNAMES[(household + 3) % SURNAMES.len()];
            let address = self.address();
            let age = self.rng.between(66, 94) as i32;
            let first = self.add_person(surname, household % 2 == 0, age, town, &address, true);
            self.people[first].risk_groups = self.risk_groups();
            if household % 3 != 2 {
                let partner_age = self.rng.between(66, 92) as i32;
                let partner_surname = SURNAMES[(household + 11) % SURNAMES.len()];
                let partner = self.add_person(partner_surname, household % 2 == 1, partner_age, town, &address, true);
                self.people[partner].risk_groups = self.risk_groups();
            }
        }
        // Adults of every age, among them the screening ages (25-74).
        for adult in 0..DEMO_ADULTS {
            let town = towns[(adult * 5 + 2) % towns.len()];
            let surname = SURNAMES[(adult + 5) % SURNAMES.len()];
            let age = [19, 24, 25, 29, 30, 38, 45, 49, 50, 55, 62, 64, 65, 69, 70, 74][adult];
            let address = self.address();
            let index = self.add_person(surname, adult % 3 != 0, age, town, &address, true);
            if adult % 4 == 1 {
                self.people[index].risk_groups = vec!["chronic_respiratory"];
            }
        }
    }

    /// Synthetic residents at regional scale, in households of one to four.
    fn regional_residents(&mut self, total: usize) {
        let weights: Vec<(&'static str, u32)> = self.territory.towns.iter().map(|t| (t.belfiore, t.weight)).collect();
        let weight_sum: u32 = weights.iter().map(|(_, w)| w).sum();
        self.codes.reserve(total);
        self.people.reserve(total);
        while self.people.len() < total {
            let mut ticket = self.rng.below(u64::from(weight_sum)) as u32;
            let town = weights
                .iter()
                .find(|(_, w)| {
                    if ticket < *w {
                        true
                    } else {
                        ticket -= w;
                        false
                    }
                })
                .map_or("D969", |(t, _)| *t);
            let surname = *self.rng.pick(&SURNAMES);
            let address = self.address();
            let adult_age = self.regional_age(18);
            let female = self.rng.chance(52);
            let first = self.add_person(surname, female, adult_age, town, &address, false);
            let members = self.rng.below(4) as usize;
            for _ in 0..members.min(total - self.people.len()) {
                let age = self.regional_age(0);
                let female = self.rng.chance(51);
                let member = self.add_person(surname, female, age, town, &address, false);
                if age < 18 && adult_age >= 18 {
                    self.guardianships.push((first, member));
                }
            }
        }
    }

    /// Age drawn to Liguria's shape: old (28.7% over 64), few children.
    fn regional_age(&mut self, minimum: i32) -> i32 {
        let band = self.rng.below(100);
        let age = match band {
            0..=10 => self.rng.between(0, 14),
            11..=70 => self.rng.between(15, 64),
            _ => self.rng.between(65, 99),
        } as i32;
        age.max(minimum)
    }

    fn risk_groups(&mut self) -> Vec<&'static str> {
        let all = ["diabetes", "cardiovascular", "chronic_respiratory", "immunodeficiency"];
        all.into_iter().filter(|_| self.rng.chance(30)).collect()
    }

    fn address(&mut self) -> String {
        format!("{} {}", self.rng.pick(&STREETS), self.rng.between(1, 120))
    }

    fn add_person(
        &mut self,
        surname: &'static str,
        female: bool,
        age: i32,
        town: &'static str,
        address: &str,
        demo: bool,
    ) -> usize {
        let given = if female { *self.rng.pick(&FEMALE_NAMES) } else { *self.rng.pick(&MALE_NAMES) };
        let birth = self.birth_date(age);
        let fiscal_code = self.unique_code(surname, given, birth, female, town);
        let index = self.people.len();
        let care_area_id = self.territory.town(town).map_or(1, |t| t.care_area_id);
        let card_expiry = self.today + Duration::days(self.rng.between(200, 6 * 365));
        self.people.push(Person {
            fiscal_code,
            given_name: given.to_string(),
            family_name: surname.to_string(),
            birth,
            female,
            municipality: town,
            care_area_id,
            address: address.to_string(),
            card_number: format!("{HEALTH_CARD_PREFIX}{:015}", 100_000_000_000_000 / 10 + index as u64 * 7 + 3),
            card_expiry,
            risk_groups: Vec::new(),
            demo,
        });
        index
    }

    fn birth_date(&mut self, age: i32) -> NaiveDate {
        let days_since_birthday = self.rng.between(1, 364);
        let last_birthday = self.today.with_year(self.today.year() - age).unwrap_or(self.today);
        last_birthday - Duration::days(days_since_birthday)
    }

    /// A fresh fiscal code; a clash is resolved by omocodia, as the
    /// registry does, and failing that by another birth day.
    fn unique_code(&mut self, surname: &str, given: &str, birth: NaiveDate, female: bool, town: &str) -> String {
        let mut birth = birth;
        loop {
            let date = (birth.year(), birth.month(), birth.day());
            if let Ok(code) = FiscalCode::compose(&surname_part(surname), &name_part(given), date, female, town) {
                for level in 0..=7 {
                    if let Some(candidate) = code.omocode(level) {
                        if self.codes.insert(candidate.as_str().to_string()) {
                            return candidate.as_str().to_string();
                        }
                    }
                }
            }
            birth -= Duration::days(1);
        }
    }
}

/// Creates enough doctors in each area and registers everyone with one:
/// a paediatrician under 14, a family doctor from 14.
fn assign_doctors(
    rng: &mut Rng,
    people: &[Person],
    territory: &Territory,
    today: NaiveDate,
) -> (Vec<Doctor>, Vec<(usize, i64)>) {
    let mut by_area: HashMap<(i64, bool), Vec<usize>> = HashMap::new();
    for (index, person) in people.iter().enumerate() {
        let paediatric = person.age_on(today) < PLS_UNTIL_AGE;
        by_area.entry((person.care_area_id, paediatric)).or_default().push(index);
    }
    let mut doctors = Vec::new();
    let mut choices = Vec::with_capacity(people.len());
    let mut codes = HashSet::new();
    for &(area_id, _, _) in &territory.care_areas {
        let town = territory.towns.iter().find(|t| t.care_area_id == area_id).map_or("D969", |t| t.belfiore);
        for paediatric in [false, true] {
            let patients = by_area.get(&(area_id, paediatric)).map(Vec::as_slice).unwrap_or_default();
            let capacity = if paediatric { PLS_MAX_PATIENTS } else { MMG_MAX_PATIENTS };
            // Doctors filled to about 80% on average, and never fewer than
            // three MMG and two PLS so that a person always has a choice.
            let minimum = if paediatric { 2 } else { 3 };
            let needed = ((patients.len() as i64 * 5 / 4) + capacity - 1).div_euclid(capacity).max(minimum);
            let first_id = doctors.len() as i64 + 1;
            for _ in 0..needed {
                let female = rng.chance(55);
                let given = if female { *rng.pick(&FEMALE_NAMES) } else { *rng.pick(&MALE_NAMES) };
                let surname = *rng.pick(&SURNAMES);
                let age = rng.between(34, 66) as i32;
                let birth = today.with_year(today.year() - age).unwrap_or(today) - Duration::days(rng.between(1, 364));
                let date = (birth.year(), birth.month(), birth.day());
                let code = FiscalCode::compose(&surname_part(surname), &name_part(given), date, female, town)
                    .ok()
                    .and_then(|code| {
                        (0..=7).filter_map(|level| code.omocode(level)).find(|c| codes.insert(c.as_str().to_string()))
                    });
                let Some(code) = code else { continue };
                doctors.push(Doctor {
                    id: doctors.len() as i64 + 1,
                    kind: if paediatric { "PLS" } else { "MMG" },
                    fiscal_code: code.as_str().to_string(),
                    given_name: given.to_string(),
                    family_name: surname.to_string(),
                    care_area_id: area_id,
                    municipality: town,
                });
            }
            let last_id = doctors.len() as i64;
            if last_id < first_id {
                continue;
            }
            let span = last_id - first_id + 1;
            for (offset, &person) in patients.iter().enumerate() {
                choices.push((person, first_id + offset as i64 % span));
            }
        }
    }
    (doctors, choices)
}

pub async fn insert(
    connection: &mut AnyConnection,
    population: &Population,
    report: &mut Report,
) -> Result<(), sqlx::Error> {
    report.people = insert_rows(
        connection,
        "people",
        &[
            "fiscal_code",
            "given_name",
            "family_name",
            "birth_date",
            "sex",
            "municipality",
            "address",
            "health_card_number",
            "health_card_expiry",
            "risk_groups",
        ],
        population.people.iter().map(|p| {
            row![
                p.fiscal_code.as_str(),
                p.given_name.as_str(),
                p.family_name.as_str(),
                p.birth.to_string(),
                if p.female { "F" } else { "M" },
                p.municipality,
                p.address.as_str(),
                p.card_number.as_str(),
                p.card_expiry.to_string(),
                p.risk_groups.join(","),
            ]
        }),
    )
    .await?;
    insert_rows(
        connection,
        "guardianships",
        &["parent", "child"],
        population.guardianships.iter().map(|&(parent, child)| {
            row![population.people[parent].fiscal_code.as_str(), population.people[child].fiscal_code.as_str()]
        }),
    )
    .await?;
    report.doctors = insert_rows(
        connection,
        "doctors",
        &[
            "id",
            "kind",
            "fiscal_code",
            "given_name",
            "family_name",
            "care_area_id",
            "max_patients",
            "surgery_address",
            "municipality",
            "phone",
            "hours",
            "languages",
        ],
        population.doctors.iter().map(|d| {
            let max = if d.kind == "PLS" { PLS_MAX_PATIENTS } else { MMG_MAX_PATIENTS };
            let languages = if d.id % 4 == 0 {
                "it,en"
            } else if d.id % 7 == 0 {
                "it,fr"
            } else {
                "it"
            };
            let hours = if d.id % 2 == 0 {
                "Lun-Mer-Ven 9:00-12:30; Mar-Gio 15:00-18:30"
            } else {
                "Lun-Mer-Ven 15:00-18:30; Mar-Gio 9:00-12:30"
            };
            row![
                d.id,
                d.kind,
                d.fiscal_code.as_str(),
                d.given_name.as_str(),
                d.family_name.as_str(),
                d.care_area_id,
                max,
                format!("Via del Medico {}", d.id % 90 + 1),
                d.municipality,
                format!("010 {:07}", 6_000_000 + d.id),
                hours,
                languages
            ]
        }),
    )
    .await?;
    insert_rows(
        connection,
        "doctor_choices",
        &["person", "doctor_id", "started_on"],
        population.choices.iter().map(|&(person, doctor)| {
            let person = &population.people[person];
            // Registered since birth, or since 2015 for older people.
            let started = person.birth.max(NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or(person.birth));
            row![person.fiscal_code.as_str(), doctor, started.to_string()]
        }),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> (Population, NaiveDate) {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        (Population::generate(super::super::DEMO_SEED, Scale::Demo, &Territory::build(), today), today)
    }

    #[test]
    fn the_demo_region_has_at_least_sixty_people_with_valid_fiscal_codes() {
        let (population, _) = demo();
        assert!(population.people.len() >= 60, "{} people", population.people.len());
        for person in &population.people {
            assert!(FiscalCode::parse(&person.fiscal_code).is_ok(), "{}", person.fiscal_code);
        }
    }

    #[test]
    fn generation_is_deterministic() {
        let (a, _) = demo();
        let (b, _) = demo();
        let codes = |p: &Population| p.people.iter().map(|p| p.fiscal_code.clone()).collect::<Vec<_>>();
        assert_eq!(codes(&a), codes(&b));
    }

    #[test]
    fn families_cover_every_paediatric_band_and_elderly_people_exist() {
        let (population, today) = demo();
        let child_ages: Vec<i32> =
            population.guardianships.iter().map(|&(_, c)| population.people[c].age_on(today)).collect();
        assert!(child_ages.iter().any(|&age| age < 6));
        assert!(child_ages.iter().any(|&age| (6..14).contains(&age)));
        assert!(child_ages.iter().any(|&age| (14..18).contains(&age)));
        assert!(population.people.iter().filter(|p| p.age_on(today) >= 65).count() >= 10);
    }

    #[test]
    fn everyone_has_a_doctor_of_the_right_kind_in_their_area() {
        let (population, today) = demo();
        assert_eq!(population.choices.len(), population.people.len());
        for &(person, doctor_id) in &population.choices {
            let person = &population.people[person];
            let doctor = population.doctors.iter().find(|d| d.id == doctor_id).expect("doctor exists");
            assert_eq!(doctor.care_area_id, person.care_area_id);
            assert_eq!(doctor.kind == "PLS", person.age_on(today) < PLS_UNTIL_AGE);
        }
    }

    #[test]
    fn the_household_plan_counts_every_demo_person() {
        let (population, _) = demo();
        assert_eq!(demo_household_count() as usize, population.people.len());
    }

    #[test]
    fn health_cards_are_unique_twenty_digit_numbers() {
        let (population, _) = demo();
        let cards: HashSet<&str> = population.people.iter().map(|p| p.card_number.as_str()).collect();
        assert_eq!(cards.len(), population.people.len());
        assert!(cards.iter().all(|c| c.len() == 20 && c.starts_with(HEALTH_CARD_PREFIX)));
    }
}
