//! Look-ups of a notice by its two codes (as at any pagoPA point): counted
//! against a per-person limit and logged on the debtor's access log.

use std::time::Duration;

use app::access_log::model::AccessAction;
use app::domain::pagopa;
use app::identity::model::Principal;
use app::identity::AccessError;
use app::payments::model::NoticeLookup;
use sqlx::AnyConnection;

use super::positions::{position, PositionRow, SELECT_POSITION};
use super::{SqlPayments, CAPABILITY};
use crate::access_log;
use crate::db::{self, window::SlidingWindow};

/// Notice look-ups by code a person may make in [`NOTICE_LOOKUP_WINDOW`].
const NOTICE_LOOKUPS_PER_WINDOW: i64 = 10;
/// The sliding window of the look-up limit.
const NOTICE_LOOKUP_WINDOW: Duration = Duration::from_secs(10 * 60);

impl SqlPayments {
    /// The body of `Payments::find_notice`.
    pub(super) async fn look_up_notice(
        &self,
        principal: &Principal,
        notice_code: &str,
        creditor_fiscal_code: &str,
    ) -> Result<NoticeLookup, AccessError> {
        let notice_code = pagopa::digits_only(notice_code);
        let creditor = pagopa::digits_only(creditor_fiscal_code);
        if !pagopa::notice_code_is_valid(&notice_code) {
            return Ok(NoticeLookup::BadNoticeCode);
        }
        if !pagopa::creditor_fiscal_code_is_valid(&creditor) {
            return Ok(NoticeLookup::BadCreditor);
        }
        let internal = |e| self.trail.internal(principal, e);
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        if !count_notice_lookup(&mut tx, &principal.actor.fiscal_code).await.map_err(internal)? {
            let _ = tx.rollback().await;
            tracing::warn!(request_id = principal.request_id, "too many notice look-ups: refused");
            return Ok(NoticeLookup::TooManyLookups);
        }
        let row: Option<PositionRow> =
            sqlx::query_as(&format!("{SELECT_POSITION} WHERE pp.notice_code = $1 AND a.fiscal_code = $2"))
                .bind(&notice_code)
                .bind(&creditor)
                .fetch_optional(&mut *tx)
                .await
                .map_err(internal)?;
        // Paying a notice needs only its two codes (as at any pagoPA point);
        // what it is for and whose it is stay the debtor's. Every look-up
        // that finds it is on the debtor's access log.
        let lookup = match row {
            Some(row) => {
                let debtor = row.person.clone();
                let record = format!("avviso:{notice_code}");
                access_log::record_in(&mut *tx, principal, &debtor, CAPABILITY, AccessAction::Read, Some(&record))
                    .await
                    .map_err(internal)?;
                NoticeLookup::Found(Box::new(position(row, principal)))
            }
            None => NoticeLookup::NotFound,
        };
        tx.commit().await.map_err(internal)?;
        Ok(lookup)
    }
}

/// Counts a look-up by notice code of `actor`, unless they already made
/// [`NOTICE_LOOKUPS_PER_WINDOW`] in the last [`NOTICE_LOOKUP_WINDOW`]: then
/// nothing is counted and the answer is `false`.
async fn count_notice_lookup(tx: &mut AnyConnection, actor: &str) -> Result<bool, sqlx::Error> {
    let window = SlidingWindow {
        table: "payment_notice_lookups",
        key_column: "actor",
        limit: NOTICE_LOOKUPS_PER_WINDOW,
        window: NOTICE_LOOKUP_WINDOW,
    };
    Ok(window.take(tx, actor).await?.is_ok())
}
