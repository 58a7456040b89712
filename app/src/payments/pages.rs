//! `/pagamenti` (positions, receipts), `/pagamenti/avviso` (a paper notice),
//! `/pagamenti/esito/:id` (where the provider sends the browser back) and
//! `/pagamenti/esenzioni` (income exemption). Server-rendered, POST forms.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{load_checkout, load_income_exemptions, load_my_payments, load_notice};
use super::forms::{DeclareExemption, PayNotice, WithdrawExemption, PAY_POSITIONS, POSITION_FIELD};
use super::model::{CheckoutView, IncomeExemptions, MyPayments, NoticeLookup, Position, PositionStatus};
use super::texts::{payments_texts, PaymentsTexts};
use crate::domain::dates::italian_date;
use crate::domain::money::euro;
use crate::ui::PageHeading;
use crate::ui::{loaded_view, NativeSubmit};

#[component]
pub fn PaymentsPage() -> impl IntoView {
    let t = payments_texts();
    view! {
        <Title text=t.title />
        <PageHeading title=t.title lead=t.lead />
        <p class="mt-2 flex flex-wrap gap-x-6 gap-y-2">
            <a class="link" href="/pagamenti/avviso">{t.notice_title}</a>
            <a class="link" href="/pagamenti/esenzioni">{t.exemption_link}</a>
        </p>
        {loaded_view(load_my_payments, move |mine| view! { <Mine mine t /> })}
    }
}

#[component]
fn Mine(mine: MyPayments, t: &'static PaymentsTexts) -> impl IntoView {
    let MyPayments { to_pay, pending, paid } = mine;
    view! {
        <section class="mt-6" aria-labelledby="da-pagare">
            <h2 id="da-pagare" class="text-2xl font-semibold">{t.to_pay}</h2>
            {if to_pay.is_empty() {
                view! { <p class="mt-2">{t.to_pay_none}</p> }.into_any()
            } else {
                view! {
                    <form method="post" action=PAY_POSITIONS class="mt-3">
                        <NativeSubmit />
                        <ul class="flex flex-col gap-4">
                            {to_pay.into_iter().map(|position| view! { <PositionCard position t select=true /> }).collect_view()}
                        </ul>
                        <p class="mt-4 max-w-prose">{t.pay_explained}</p>
                        <button type="submit" class="button-primary mt-3">{t.pay_selected}</button>
                    </form>
                }
                .into_any()
            }}
        </section>
        {(!pending.is_empty())
            .then(|| {
                view! {
                    <section class="mt-8" aria-labelledby="in-corso">
                        <h2 id="in-corso" class="text-2xl font-semibold">{t.pending}</h2>
                        <p class="mt-2 max-w-prose">{t.pending_explained}</p>
                        <ul class="mt-3 flex flex-col gap-4">
                            {pending.into_iter().map(|position| view! { <PositionCard position t select=false /> }).collect_view()}
                        </ul>
                    </section>
                }
            })}
        <section class="mt-8" aria-labelledby="pagati">
            <h2 id="pagati" class="text-2xl font-semibold">{t.paid}</h2>
            {if paid.is_empty() {
                view! { <p class="mt-2">{t.paid_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 flex flex-col gap-4">
                        {paid.into_iter().map(|position| view! { <PositionCard position t select=false /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

/// One position; with `select`, a checkbox to include it in the checkout.
#[component]
fn PositionCard(position: Position, t: &'static PaymentsTexts, select: bool) -> impl IntoView {
    let heading_id = format!("avviso-{}", position.notice_code);
    let checkbox_id = format!("paga-{}", position.id);
    let receipt = format!("/pagamenti/ricevute/{}.pdf", position.notice_code);
    let select_name = format!("{} — {}", position.reason, euro(position.amount_cents));
    let Position {
        id,
        creditor,
        creditor_fiscal_code,
        reason,
        amount_cents,
        due_on,
        notice_code,
        iuv,
        status,
        paid_at_local,
        booking_code,
        qr_svg,
    } = position;
    let badge = if status == PositionStatus::Payable { "badge badge-few" } else { "badge badge-muted" };
    view! {
        <li class="card">
            <h3 id=heading_id.clone() class="text-xl font-semibold">{format!("{reason} — {}", euro(amount_cents))}</h3>
            <p class="mt-1"><span class=badge>{t.status(status)}</span></p>
            <dl class="mt-3 grid grid-cols-1 gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
                <dt class="font-semibold">{t.creditor}</dt>
                <dd>{format!("{creditor} (C.F. {creditor_fiscal_code})")}</dd>
                <dt class="font-semibold">{t.amount}</dt>
                <dd>{euro(amount_cents)}</dd>
                <dt class="font-semibold">{t.due_on}</dt>
                <dd>{italian_date(&due_on)}</dd>
                <dt class="font-semibold">{t.notice_code}</dt>
                <dd class="font-mono break-all">{notice_code}</dd>
                <dt class="font-semibold">{t.iuv}</dt>
                <dd class="font-mono break-all">{iuv}</dd>
                {booking_code
                    .map(|code| {
                        let href = format!("/prenotazioni/{code}");
                        view! {
                            <dt class="font-semibold">{t.booking}</dt>
                            <dd><a class="link" rel="external" href=href>{code}</a></dd>
                        }
                    })}
                {paid_at_local
                    .map(|at| view! {
                        <dt class="font-semibold">{t.paid_on}</dt>
                        <dd>{at}</dd>
                    })}
            </dl>
            {(status == PositionStatus::Paid)
                .then(|| view! {
                    <p class="mt-3"><a class="link" rel="external" download="" href=receipt>{t.receipt}</a></p>
                })}
            {(status == PositionStatus::Payable)
                .then(|| view! {
                    <details class="mt-3">
                        <summary class="link cursor-pointer">{t.qr}</summary>
                        <div class="mt-2 w-48 max-w-full" role="img" aria-label=t.qr_label inner_html=qr_svg></div>
                    </details>
                })}
            {select
                .then(|| view! {
                    <p class="mt-3 flex items-center gap-2">
                        <input id=checkbox_id.clone() type="checkbox" name=POSITION_FIELD value=id.to_string() checked=true class="h-5 w-5" />
                        <label for=checkbox_id class="font-semibold">
                            {t.select}
                            <span class="sr-only">{format!(": {select_name}")}</span>
                        </label>
                    </p>
                })}
        </li>
    }
}

fn query(name: &str) -> String {
    use_query_map().with_untracked(|query| query.get(name)).unwrap_or_default()
}

#[component]
pub fn NoticePage() -> impl IntoView {
    let t = payments_texts();
    let code = query("codice");
    let creditor = query("ente");
    let (typed_code, typed_creditor) = (code.clone(), creditor.clone());
    view! {
        <Title text=t.notice_title />
        <PageHeading title=t.notice_title lead=t.notice_lead />
        <p class="mt-2"><a class="link" rel="external" href="/pagamenti">{t.back}</a></p>
        <form method="get" action="/pagamenti/avviso" class="card mt-6 flex flex-col gap-4">
            <div class="flex flex-col gap-1">
                <label for="codice" class="font-semibold">{t.notice_code}</label>
                <input id="codice" name=PayNotice::CODICE class="field font-mono" inputmode="numeric" autocomplete="off"
                    value=typed_code aria-describedby="codice-aiuto" required=true />
                <p id="codice-aiuto" class="text-muted">{t.notice_code_hint}</p>
            </div>
            <div class="flex flex-col gap-1">
                <label for="ente" class="font-semibold">{t.creditor_code}</label>
                <input id="ente" name=PayNotice::ENTE class="field font-mono" inputmode="numeric" autocomplete="off"
                    value=typed_creditor aria-describedby="ente-aiuto" required=true />
                <p id="ente-aiuto" class="text-muted">{t.creditor_code_hint}</p>
            </div>
            <p><button type="submit" class="button-primary">{t.find}</button></p>
        </form>
        {loaded_view(
            move || load_notice(code.clone(), creditor.clone()),
            move |lookup| {
                let problem = match &lookup {
                    NoticeLookup::Empty | NoticeLookup::Found(_) => None,
                    NoticeLookup::BadNoticeCode => Some(t.bad_notice_code),
                    NoticeLookup::BadCreditor => Some(t.bad_creditor),
                    NoticeLookup::NotFound => Some(t.not_found),
                    NoticeLookup::TooManyLookups => Some(t.too_many_lookups),
                };
                match (problem, lookup) {
                    (Some(problem), _) => view! { <p class="notice notice-error mt-6" role="alert">{problem}</p> }.into_any(),
                    (None, NoticeLookup::Found(position)) => view! { <FoundNotice position=*position t /> }.into_any(),
                    _ => ().into_any(),
                }
            },
        )}
    }
}

#[component]
fn FoundNotice(position: Position, t: &'static PaymentsTexts) -> impl IntoView {
    let (notice_code, creditor_code, status) =
        (position.notice_code.clone(), position.creditor_fiscal_code.clone(), position.status);
    let state = match status {
        PositionStatus::Payable => None,
        PositionStatus::Pending => Some(t.in_progress),
        PositionStatus::Paid => Some(t.already_paid),
        PositionStatus::Cancelled => Some(t.nothing_due),
    };
    view! {
        <ul class="mt-6"><PositionCard position t select=false /></ul>
        {match state {
            Some(state) => view! { <p class="notice notice-info mt-4" role="status">{state}</p> }.into_any(),
            None => view! {
                <form method="post" action=PayNotice::ACTION class="mt-4">
                    <NativeSubmit />
                    <input type="hidden" name=PayNotice::CODICE value=notice_code />
                    <input type="hidden" name=PayNotice::ENTE value=creditor_code />
                    <p class="max-w-prose">{t.pay_explained}</p>
                    <button type="submit" class="button-primary mt-3">{t.pay_this}</button>
                </form>
            }
            .into_any(),
        }}
    }
}

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let t = payments_texts();
    let id = use_params_map().with_untracked(|params| params.get("id")).unwrap_or_default();
    view! {
        <Title text=t.outcome_title />
        <PageHeading title=t.outcome_title />
        {loaded_view(move || load_checkout(id.clone()), move |checkout| view! { <Outcome checkout t /> })}
        <p class="mt-6"><a class="link" rel="external" href="/pagamenti">{t.back}</a></p>
    }
}

#[component]
fn Outcome(checkout: CheckoutView, t: &'static PaymentsTexts) -> impl IntoView {
    let CheckoutView { status, total_cents, positions, .. } = checkout;
    let (headline, next) = t.outcome(status);
    let class = match status {
        super::model::CheckoutStatus::Paid => "notice notice-success mt-6",
        super::model::CheckoutStatus::Pending => "notice notice-info mt-6",
        _ => "notice notice-error mt-6",
    };
    view! {
        <div class=class role="status">
            <p class="text-xl font-semibold">{headline}</p>
            <p class="mt-1">{next}</p>
        </div>
        <p class="mt-4 text-lg"><span class="font-semibold">{format!("{}: ", t.total)}</span>{euro(total_cents)}</p>
        <ul class="mt-4 flex flex-col gap-4">
            {positions.into_iter().map(|position| view! { <PositionCard position t select=false /> }).collect_view()}
        </ul>
    }
}

#[component]
pub fn ExemptionsPage() -> impl IntoView {
    let t = payments_texts();
    view! {
        <Title text=t.exemption_title />
        <PageHeading title=t.exemption_title lead=t.exemption_lead />
        <p class="mt-2"><a class="link" rel="external" href="/pagamenti">{t.back}</a></p>
        {loaded_view(load_income_exemptions, move |exemptions| view! { <Exemptions exemptions t /> })}
    }
}

#[component]
fn Exemptions(exemptions: IncomeExemptions, t: &'static PaymentsTexts) -> impl IntoView {
    let IncomeExemptions { registry, declarations, allowed, can_change, valid_until_if_declared, .. } = exemptions;
    let has_current = declarations.iter().any(|declaration| declaration.current);
    view! {
        <section class="card mt-6" aria-labelledby="registro-esenzioni">
            <h2 id="registro-esenzioni" class="text-2xl font-semibold">{t.registry_heading}</h2>
            {if registry.is_empty() {
                view! { <p class="mt-2">{t.registry_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 list-disc pl-6">
                        {registry
                            .into_iter()
                            .map(|(code, until)| {
                                let until = until.map(|day| italian_date(&day)).unwrap_or_else(|| t.no_end.to_string());
                                view! { <li>{format!("{code} — {} {until}", t.valid_until)}</li> }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
        {(can_change && !has_current)
            .then(|| {
                let options = crate::domain::income_exemption::IncomeExemption::ALL;
                view! {
                    <section class="card mt-6" aria-labelledby="autocertifica">
                        <h2 id="autocertifica" class="text-2xl font-semibold">{t.declare_heading}</h2>
                        <p class="mt-2 max-w-prose">{t.declare_explained}</p>
                        <form method="post" action=DeclareExemption::ACTION class="mt-4 flex flex-col gap-4">
                            <NativeSubmit />
                            <fieldset class="flex flex-col gap-3">
                                <legend class="font-semibold">{t.declare_heading}</legend>
                                {options
                                    .into_iter()
                                    .map(|exemption| {
                                        let id = format!("esenzione-{}", exemption.code());
                                        let usable = allowed.contains(&exemption);
                                        view! {
                                            <div class="flex items-start gap-2">
                                                <input id=id.clone() type="radio" name=DeclareExemption::CODICE value=exemption.code()
                                                    disabled=!usable required=true class="mt-1 h-5 w-5" />
                                                <label for=id class="max-w-prose">
                                                    {t.condition(exemption)}
                                                    {(!usable).then(|| view! { <span class="block text-muted">{t.not_for_age}</span> })}
                                                </label>
                                            </div>
                                        }
                                    })
                                    .collect_view()}
                            </fieldset>
                            <p>{format!("{} {}", t.valid_until, italian_date(&valid_until_if_declared))}</p>
                            <div class="flex items-start gap-2">
                                <input id="dichiaro" type="checkbox" name=DeclareExemption::DICHIARO value="1" required=true class="mt-1 h-5 w-5" />
                                <label for="dichiaro" class="max-w-prose">{t.truthful}</label>
                            </div>
                            <p><button type="submit" class="button-primary">{t.declare}</button></p>
                        </form>
                    </section>
                }
            })}
        {(!can_change).then(|| view! { <p class="mt-6 text-muted">{t.only_owner}</p> })}
        <section class="mt-8" aria-labelledby="autocertificazioni">
            <h2 id="autocertificazioni" class="text-2xl font-semibold">{t.history_heading}</h2>
            {if declarations.is_empty() {
                view! { <p class="mt-2">{t.history_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 flex flex-col gap-4">
                        {declarations
                            .into_iter()
                            .map(|declaration| {
                                let state = match (&declaration.withdrawn_at_local, declaration.current) {
                                    (Some(at), _) => format!("{} {at}", t.withdrawn_on),
                                    (None, true) => t.current.to_string(),
                                    (None, false) => t.expired.to_string(),
                                };
                                view! {
                                    <li class="card">
                                        <h3 class="text-xl font-semibold">{declaration.code.clone()}</h3>
                                        <p class="mt-1"><span class="badge badge-muted">{state}</span></p>
                                        <p class="mt-1">
                                            {format!(
                                                "{} {} → {}",
                                                t.valid_until,
                                                italian_date(&declaration.valid_from),
                                                italian_date(&declaration.valid_until),
                                            )}
                                        </p>
                                        <p>{format!("{} {}, {}", t.declared_by, declaration.declared_by, declaration.declared_at_local)}</p>
                                        {(can_change && declaration.current)
                                            .then(|| view! {
                                                <form method="post" action=WithdrawExemption::ACTION class="mt-3">
                                                    <NativeSubmit />
                                                    <input type="hidden" name=WithdrawExemption::ID value=declaration.id.to_string() />
                                                    <button type="submit" class="button-secondary">{t.withdraw}</button>
                                                </form>
                                            })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}
