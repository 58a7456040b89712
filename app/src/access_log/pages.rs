//! `/accessi`: "Chi ha consultato i miei dati", with filters in a GET form
//! so a filtered view can be bookmarked and works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::list_accesses;
use super::model::{valid_day, AccessAction, AccessEntry, AccessFilter, ActorRole, WhoFilter, ACCESS_PAGE_SIZE};
use crate::identity::model::Capability;
use crate::identity::texts::identity_texts;
use crate::ui::AccessErrorView;
use crate::ui::PageHeading;

/// Reads the filters from the query string, ignoring malformed values.
fn filter_from_query() -> AccessFilter {
    use_query_map().with_untracked(|query| AccessFilter {
        from: query.get("da").as_deref().and_then(valid_day),
        to: query.get("a").as_deref().and_then(valid_day),
        who: query.get("chi").as_deref().map(WhoFilter::from_code).unwrap_or_default(),
        capability: query
            .get("servizio")
            .and_then(|slug| Capability::from_slug(&slug))
            .map(|capability| capability.slug().to_string()),
    })
}

#[component]
pub fn AccessLogPage() -> impl IntoView {
    let t = identity_texts();
    let filter = filter_from_query();
    let accesses = Resource::new(
        {
            let filter = filter.clone();
            move || filter.clone()
        },
        list_accesses,
    );
    view! {
        <Title text=t.access_title />
        <PageHeading title=t.access_title lead=t.access_lead />
        <FilterForm filter />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match accesses.await {
                    Ok(entries) => view! { <AccessTable entries /> }.into_any(),
                    Err(error) => view! { <AccessErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FilterForm(filter: AccessFilter) -> impl IntoView {
    let t = identity_texts();
    view! {
        <form method="get" action="/accessi" class="filters mt-6" aria-labelledby="filtri-accessi">
            <h2 id="filtri-accessi" class="text-xl font-semibold">{t.access_filters}</h2>
            <div class="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
                <div class="flex flex-col gap-1">
                    <label for="filtro-da" class="font-semibold">{t.access_from}</label>
                    <input id="filtro-da" name="da" type="date" class="field" value=filter.from.clone().unwrap_or_default() />
                </div>
                <div class="flex flex-col gap-1">
                    <label for="filtro-a" class="font-semibold">{t.access_to}</label>
                    <input id="filtro-a" name="a" type="date" class="field" value=filter.to.clone().unwrap_or_default() />
                </div>
                <div class="flex flex-col gap-1">
                    <label for="filtro-chi" class="font-semibold">{t.access_who}</label>
                    <select id="filtro-chi" name="chi" class="field">
                        {WhoFilter::ALL
                            .into_iter()
                            .map(|who| {
                                view! { <option value=who.code() selected=who == filter.who>{t.who(who)}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="flex flex-col gap-1">
                    <label for="filtro-servizio" class="font-semibold">{t.access_service}</label>
                    <select id="filtro-servizio" name="servizio" class="field">
                        <option value="" selected=filter.capability.is_none()>{t.access_all_services}</option>
                        {Capability::ALL
                            .into_iter()
                            .map(|capability| {
                                let selected = filter.capability.as_deref() == Some(capability.slug());
                                view! { <option value=capability.slug() selected=selected>{t.capability(capability)}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
            </div>
            <div class="mt-4 flex flex-wrap items-center gap-4">
                <button type="submit" class="button-primary">{t.access_apply}</button>
                <a class="link" href="/accessi">{t.access_reset}</a>
            </div>
        </form>
    }
}

#[component]
fn AccessTable(entries: Vec<AccessEntry>) -> impl IntoView {
    let t = identity_texts();
    if entries.is_empty() {
        return view! { <p class="mt-6" role="status">{t.access_none}</p> }.into_any();
    }
    let count = entries.len();
    // Someone else refused on this record acted "as themselves": here they
    // had no title at all, which is what the line says.
    let subject = crate::identity::request_identity().principal.map(|principal| principal.subject.fiscal_code);
    view! {
        <p class="mt-6" role="status">{format!("{} {count}", t.access_count)}</p>
        {(count as u32 >= ACCESS_PAGE_SIZE).then(|| view! { <p class="mt-2 text-muted">{t.access_limit_note}</p> })}
        <div class="table-scroll mt-3" role="region" aria-labelledby="tabella-accessi" tabindex="0">
            <table class="data-table">
                <caption id="tabella-accessi" class="sr-only">{t.access_title}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.access_col_when}</th>
                        <th scope="col">{t.access_col_who}</th>
                        <th scope="col">{t.access_col_as}</th>
                        <th scope="col">{t.access_col_service}</th>
                        <th scope="col">{t.access_col_action}</th>
                        <th scope="col">{t.access_col_record}</th>
                        <th scope="col">{t.access_col_ip}</th>
                    </tr>
                </thead>
                <tbody>
                    {entries
                        .into_iter()
                        .map(|entry| {
                            let role = if entry.action == AccessAction::Refused
                                && entry.actor_role == ActorRole::Myself
                                && subject.as_deref().is_some_and(|subject| subject != entry.actor_fiscal_code)
                            {
                                t.actor_no_title
                            } else {
                                t.actor_role(entry.actor_role)
                            };
                            view! {
                                <tr>
                                    <td><time datetime=entry.at_utc>{entry.at_local}</time></td>
                                    <td>
                                        {entry.actor_name}
                                        <span class="block text-sm text-muted">{entry.actor_fiscal_code}</span>
                                    </td>
                                    <td>{role}</td>
                                    <td>{t.capability_slug(&entry.capability)}</td>
                                    <td>{t.action(entry.action)}</td>
                                    <td>{entry.record_id.unwrap_or_else(|| "—".to_string())}</td>
                                    <td>{entry.ip}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
