//! Payment positions: creating one (with a random notice code), following a
//! booking that moves or is cancelled, and reading one as a viewer may see
//! it. Outside this folder, `payment_positions` is written only through here.

use app::domain::pagopa;
use app::identity::model::{Capability, Principal};
use app::payments::model::{Position, PositionStatus};
use sqlx::AnyConnection;

use super::qr;
use crate::clock::stored_as_rome_minutes;
use crate::db::{self, rules};

/// What a notice says to anyone but its debtor (and to the payment
/// provider): what a pagoPA point shows, no exam, no booking.
pub(super) const NEUTRAL_REASON: &str = "Ticket sanitario";

/// New IUVs tried before giving up (a collision among 10^13 is already rare).
const IUV_ATTEMPTS: usize = 8;

/// A random 13-digit IUV base from the operating system's CSPRNG (through
/// uuid v4, which reads `getrandom`): the low 62 bits of a v4 UUID are all
/// random, and 2^62 mod 10^13 leaves a bias of about 2·10^-6.
fn random_iuv_base() -> u64 {
    let random = uuid::Uuid::new_v4().as_u128() & ((1_u128 << 62) - 1);
    u64::try_from(random % 10_u128.pow(13)).unwrap_or_default()
}

/// Creates a payment position; the notice code embeds a new random IUV with
/// the ASL's segregation code (ASL1…ASL5 → 01…05), so that a notice code
/// tells nothing about any other.
pub async fn create_position(
    connection: &mut AnyConnection,
    person: &str,
    booking_id: Option<i64>,
    asl_code: &str,
    reason: &str,
    amount_cents: i64,
    due_on: &str,
) -> Result<String, sqlx::Error> {
    let new = NewPosition { person, booking_id, asl_code, reason, amount_cents, due_on };
    insert_position(connection, &new, random_iuv_base).await
}

struct NewPosition<'a> {
    person: &'a str,
    booking_id: Option<i64>,
    asl_code: &'a str,
    reason: &'a str,
    amount_cents: i64,
    due_on: &'a str,
}

/// Inserts the position with an IUV base from `draw`, drawing again when
/// the notice code or IUV is taken (both are UNIQUE).
async fn insert_position(
    connection: &mut AnyConnection,
    new: &NewPosition<'_>,
    mut draw: impl FnMut() -> u64,
) -> Result<String, sqlx::Error> {
    let segregation: u8 = new.asl_code.trim_start_matches("ASL").parse().unwrap_or(9);
    for _ in 0..IUV_ATTEMPTS {
        let Some(notice) = pagopa::notice_code(segregation, draw()) else {
            return Err(sqlx::Error::Protocol("notice code out of range".into()));
        };
        let iuv = pagopa::iuv(&notice).unwrap_or_default().to_string();
        let inserted = sqlx::query(
            "INSERT INTO payment_positions (person, asl_code, reason, amount_cents, due_on, notice_code, iuv, booking_id, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'payable')",
        )
        .bind(new.person)
        .bind(new.asl_code)
        .bind(new.reason)
        .bind(new.amount_cents)
        .bind(new.due_on)
        .bind(&notice)
        .bind(&iuv)
        .bind(new.booking_id)
        .execute(&mut *connection)
        .await;
        match inserted {
            Ok(_) => return Ok(notice),
            Err(error)
                if db::refused_by(&error, rules::NOTICE_CODE_ONCE) || db::refused_by(&error, rules::IUV_ONCE) =>
            {
                tracing::warn!("a random notice code was already taken: drawing another");
            }
            Err(error) => return Err(error),
        }
    }
    Err(sqlx::Error::Protocol("no free notice code found".into()))
}

/// The ticket follows a moved booking (paid or not; a payable one gets the
/// new due date). Returns how many positions moved.
pub(crate) async fn follow_moved_booking(
    connection: &mut AnyConnection,
    old_booking: i64,
    new_booking: i64,
    due_on: &str,
) -> Result<u64, sqlx::Error> {
    let moved = sqlx::query(
        "UPDATE payment_positions SET booking_id = $1, due_on = CASE WHEN status = 'payable' THEN $3 ELSE due_on END
          WHERE booking_id = $2 AND status <> 'cancelled'",
    )
    .bind(new_booking)
    .bind(old_booking)
    .bind(due_on)
    .execute(&mut *connection)
    .await?;
    Ok(moved.rows_affected())
}

/// A cancelled booking's unpaid ticket is cancelled; a paid one stays paid
/// (refunds are the ASL's).
pub(crate) async fn cancel_for_booking(connection: &mut AnyConnection, booking_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE payment_positions SET status = 'cancelled' WHERE booking_id = $1 AND status = 'payable'")
        .bind(booking_id)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// Whether the principal sees a position of `debtor` in full (reason,
/// booking, identity): the debtor, or whoever acts for them with "Pagamenti".
pub(super) fn is_debtor(debtor: &str, principal: &Principal) -> bool {
    debtor == principal.subject.fiscal_code && principal.may(Capability::Pagamenti)
}

pub(super) const SELECT_POSITION: &str =
    "SELECT pp.id, a.name, a.fiscal_code, pp.reason, pp.amount_cents, pp.due_on, pp.notice_code, pp.iuv,
        pp.status, pp.paid_at, CASE WHEN b.status = 'active' THEN b.code END AS booking_code, pp.person
   FROM payment_positions pp JOIN asl a ON a.code = pp.asl_code LEFT JOIN bookings b ON b.id = pp.booking_id";

/// A position, with its creditor ASL's name and fiscal code and its active
/// booking's code.
#[derive(sqlx::FromRow)]
pub(super) struct PositionRow {
    id: i64,
    name: String,
    fiscal_code: String,
    reason: String,
    amount_cents: i64,
    due_on: String,
    notice_code: String,
    iuv: String,
    status: String,
    paid_at: Option<String>,
    booking_code: Option<String>,
    /// The debtor.
    pub(super) person: String,
}

/// A position as `viewer` may see it: anyone but its debtor gets what a
/// pagoPA point shows (creditor, amount, due date, codes) with a neutral
/// reason and no booking.
pub(super) fn position(row: PositionRow, viewer: &Principal) -> Position {
    let PositionRow {
        id,
        name: creditor,
        fiscal_code: creditor_fiscal_code,
        reason,
        amount_cents,
        due_on,
        notice_code,
        iuv,
        status,
        paid_at,
        booking_code: booking,
        person: debtor,
    } = row;
    let debtors_view = is_debtor(&debtor, viewer);
    let status = PositionStatus::from_db(&status);
    let qr_svg = if status == PositionStatus::Payable {
        qr::svg(&pagopa::qr_payload(&notice_code, &creditor_fiscal_code, amount_cents))
    } else {
        String::new()
    };
    Position {
        id,
        creditor,
        creditor_fiscal_code,
        reason: if debtors_view { reason } else { NEUTRAL_REASON.to_string() },
        amount_cents,
        due_on,
        notice_code,
        iuv,
        status,
        paid_at_local: paid_at.as_deref().map(stored_as_rome_minutes),
        booking_code: booking.filter(|_| debtors_view),
        qr_svg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Connection;

    /// A migrated database without foreign keys (no people or ASLs needed).
    async fn database() -> (tempfile::TempDir, AnyConnection) {
        let folder = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite:{}", folder.path().join("payments.db").display());
        crate::db::connect(&url).await.expect("migrated database").close().await;
        let mut connection = AnyConnection::connect(&url).await.expect("connection");
        sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut connection).await.expect("pragma");
        (folder, connection)
    }

    fn ticket(person: &str) -> NewPosition<'_> {
        NewPosition {
            person,
            booking_id: None,
            asl_code: "ASL3",
            reason: "Ticket di prova",
            amount_cents: 2500,
            due_on: "2026-12-31",
        }
    }

    #[tokio::test]
    async fn a_taken_notice_code_is_drawn_again() {
        let (_folder, mut connection) = database().await;
        let mut draws = [42_u64, 42, 43].into_iter();
        let first = insert_position(&mut connection, &ticket("A"), || draws.next().expect("a draw")).await.unwrap();
        let second = insert_position(&mut connection, &ticket("B"), || draws.next().expect("a draw")).await.unwrap();
        assert_eq!(first, pagopa::notice_code(3, 42).unwrap());
        assert_eq!(second, pagopa::notice_code(3, 43).unwrap(), "42 was taken: drawn again");
        // Always the same base: it gives up instead of looping.
        let stuck = insert_position(&mut connection, &ticket("C"), || 42).await;
        assert!(stuck.is_err());
    }

    #[tokio::test]
    async fn notice_codes_are_random_valid_and_carry_the_asls_segregation_code() {
        let (_folder, mut connection) = database().await;
        let mut codes = Vec::new();
        for n in 0..50 {
            let person = format!("P{n}");
            codes.push(
                create_position(&mut connection, &person, None, "ASL3", "Ticket", 2500, "2026-12-31").await.unwrap(),
            );
        }
        let mut bases: Vec<u64> = Vec::new();
        for code in &codes {
            assert!(pagopa::notice_code_is_valid(code), "{code}");
            assert!(code.starts_with("303"), "aux digit 3, segregation code 03: {code}");
            bases.push(code[3..16].parse().unwrap());
        }
        bases.sort_unstable();
        bases.dedup();
        assert_eq!(bases.len(), 50, "unique");
        // Sequential codes would sit next to each other; random ones spread over 10^13.
        let closest = bases.windows(2).map(|pair| pair[1] - pair[0]).min().unwrap();
        assert!(closest > 1_000, "codes are guessable from one another: {codes:?}");
        assert!(bases[bases.len() - 1] - bases[0] > 10_u64.pow(11), "{codes:?}");
    }

    #[test]
    fn random_iuv_bases_fit_thirteen_digits() {
        let draws: Vec<u64> = (0..1000).map(|_| random_iuv_base()).collect();
        assert!(draws.iter().all(|base| *base < 10_u64.pow(13)));
        let mut distinct = draws.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), draws.len());
    }
}
