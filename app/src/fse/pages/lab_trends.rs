//! `/fascicolo/andamenti`: the trend of one lab test over time, as a chart
//! and as a table of values linking to each report.

use leptos::prelude::*;

use super::{query_value, section_page, FseSection};
use crate::domain::dates::italian_date;
use crate::fse::api::load_trend;
use crate::fse::model::{
    decimal_it, range_flag, range_text, ChartGeometry, RangeFlag, Trend, TrendPage, CHART_HEIGHT, CHART_WIDTH,
};
use crate::fse::texts::{fse_texts, FseTexts};
use crate::ui::loaded_view;
use crate::ui::NativeSubmit;

#[component]
pub fn TrendsPageView() -> impl IntoView {
    let t = fse_texts();
    let test = query_value("esame").filter(|code| code.len() <= 10);
    section_page(
        FseSection::Trends,
        t.trends_title,
        t.trends_lead,
        loaded_view(move || load_trend(test.clone()), move |page| view! { <TrendView page t /> }),
    )
}

#[component]
fn TrendView(page: TrendPage, t: &'static FseTexts) -> impl IntoView {
    let TrendPage { tests, trend } = page;
    if tests.is_empty() {
        return view! { <p class="mt-6">{t.no_lab_results}</p> }.into_any();
    }
    let selected = trend.as_ref().map(|trend| trend.test.loinc.clone());
    view! {
        <form method="get" action="/fascicolo/andamenti" class="filters no-print mt-6">
            <NativeSubmit />
            <div class="flex flex-wrap items-end gap-4">
                <div class="flex flex-col gap-1">
                    <label for="esame" class="font-semibold">{t.test}</label>
                    <select id="esame" name="esame" class="field">
                        {tests
                            .into_iter()
                            .map(|test| {
                                let is_selected = selected.as_deref() == Some(test.loinc.as_str());
                                view! { <option value=test.loinc selected=is_selected>{test.name}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit" class="button-primary">{t.show}</button>
            </div>
        </form>
        {trend.map(|trend| view! { <TrendChart trend t /> })}
    }
    .into_any()
}

#[component]
fn TrendChart(trend: Trend, t: &'static FseTexts) -> impl IntoView {
    let geometry = ChartGeometry::of(&trend);
    let heading = format!("{} ({})", trend.test.name, trend.unit);
    let band_text = format!("{}: {} {}", t.band, range_text(trend.low, trend.high), trend.unit);
    let first = trend.points.first().map(|p| italian_date(&p.date)).unwrap_or_default();
    let last = trend.points.last().map(|p| italian_date(&p.date)).unwrap_or_default();
    let (low, high, unit) = (trend.low, trend.high, trend.unit.clone());
    let marks = trend
        .points
        .iter()
        .zip(geometry.points.iter())
        .map(|(point, (x, y))| {
            let class =
                if range_flag(point.value, low, high) == RangeFlag::Normal { "chart-point" } else { "chart-point-out" };
            view! { <circle cx=*x cy=*y r="5" class=class /> }
        })
        .collect_view();
    let ticks = geometry
        .ticks
        .iter()
        .map(|(y, label)| {
            view! {
                <line x1=geometry.plot_left x2=geometry.plot_right y1=*y y2=*y class="chart-grid" />
                <text x=geometry.plot_left - 8.0 y=*y + 6.0 text-anchor="end" class="chart-label">{label.clone()}</text>
            }
        })
        .collect_view();
    let viewbox = format!("0 0 {CHART_WIDTH} {CHART_HEIGHT}");
    let band_height = geometry.band_bottom - geometry.band_top;
    view! {
        <section class="mt-6" aria-labelledby="grafico-titolo">
            <h2 id="grafico-titolo" class="text-2xl font-semibold">{heading.clone()}</h2>
            <p class="mt-1">{band_text}</p>
            <figure class="mt-3">
                <svg
                    viewBox=viewbox
                    class="h-auto w-full max-w-3xl"
                    role="img"
                    aria-labelledby="grafico-svg-titolo"
                    aria-describedby="grafico-svg-desc"
                >
                    <title id="grafico-svg-titolo">{heading.clone()}</title>
                    <desc id="grafico-svg-desc">{format!("{first} – {last}. {}", t.chart_description)}</desc>
                    <rect
                        x=geometry.plot_left
                        y=geometry.band_top
                        width=geometry.plot_right - geometry.plot_left
                        height=band_height
                        class="chart-band"
                    />
                    {ticks}
                    <polyline points=geometry.polyline() class="chart-line" />
                    {marks}
                    <text x=geometry.plot_left y=geometry.plot_bottom + 32.0 class="chart-label">{first.clone()}</text>
                    <text x=geometry.plot_right y=geometry.plot_bottom + 32.0 text-anchor="end" class="chart-label">
                        {last.clone()}
                    </text>
                </svg>
                <figcaption class="mt-2 text-muted">{t.chart_description}</figcaption>
            </figure>
            <div class="table-scroll mt-4" role="region" aria-labelledby="tabella-valori" tabindex="0">
                <table class="data-table">
                    <caption id="tabella-valori" class="text-left font-semibold">{format!("{} {}", t.values_of, trend.test.name)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t.date}</th>
                            <th scope="col">{format!("{} ({unit})", t.value)}</th>
                            <th scope="col">{t.outcome}</th>
                            <th scope="col" class="no-print">{t.open_report}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {trend
                            .points
                            .iter()
                            .rev()
                            .map(|point| {
                                let flag = range_flag(point.value, low, high);
                                let out = flag != RangeFlag::Normal;
                                let href = format!("/fascicolo/documenti/{}", point.document_id);
                                let label = format!("{} {}", t.open_report, italian_date(&point.date));
                                view! {
                                    <tr>
                                        <th scope="row" class="font-normal">{italian_date(&point.date)}</th>
                                        <td class:flag-out=out>{decimal_it(point.value)}</td>
                                        <td class:flag-out=out>{t.flag(flag)}</td>
                                        <td class="no-print">
                                            <a class="link" rel="external" href=href aria-label=label>{t.open_report}</a>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
