//! The OpenAPI 3.1 description of the ingest API, served at the stable
//! address `/ingest/v1/openapi.json`.

use serde_json::{json, Value};

use app::surgery::model::{Phase, MAX_AUTHORISED};

use super::ingest::{MAX_COUNT, MAX_WAIT_MINUTES};

fn per_colour(description: &str, max: u64, required: bool) -> Value {
    let count = json!({ "type": "integer", "minimum": 0, "maximum": max });
    let mut schema = json!({
        "type": "object",
        "description": description,
        "additionalProperties": false,
        "properties": {
            "red": count, "orange": count, "light_blue": count, "green": count, "white": count
        }
    });
    if required {
        schema["required"] = json!(["red", "orange", "light_blue", "green", "white"]);
    }
    schema
}

/// `token_url`: the identity provider's token endpoint.
/// The answers of a write: stored (with its result), or why not.
fn write_responses(forbidden: &str, invalid: &str) -> Value {
    let error = |description: &str| json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    json!({
        "200": { "description": "Stored", "content": { "application/json": { "schema": {
            "type": "object",
            "properties": {
                "result": { "enum": ["applied", "duplicate", "outdated"] },
                "event_id": { "type": "string" }
            }
        } } } },
        "401": error("No token, or an invalid or expired one"),
        "403": error(forbidden),
        "422": error(invalid),
        "503": error("The token could not be checked or the data stored now: retry later")
    })
}

pub fn document(token_url: &str) -> Value {
    let mut screening_responses =
        write_responses("The token lacks screening:write", "Invalid event: `problems` names each field");
    screening_responses["404"] = json!({ "description": "No kit or appointment with this reference" });
    screening_responses["409"] =
        json!({ "description": "The kit was cancelled, or the appointment cancelled or moved" });
    let error = json!({
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": { "type": "string" },
            "message": { "type": "string", "description": "In Italian, says what to do." },
            "problems": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "field": { "type": "string", "description": "JSON path, e.g. waiting.red" },
                        "message": { "type": "string" }
                    }
                }
            }
        }
    });
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Portale Salute — ingest API for hospital systems",
            "version": "1.0.0",
            "description": "Hospital systems push live data. Every call carries an OAuth2 bearer token obtained with client credentials from the region's identity provider; the token's scope must cover the route. Reports are idempotent by (client, event_id): a retry answers `duplicate` and changes nothing. A report older than the unit's current one answers `outdated`: it is kept for the trend and never moves the board backwards; likewise an operating-theatre event for a phase earlier than the case's."
        },
        "servers": [{ "url": "/" }],
        "components": {
            "securitySchemes": {
                "clientCredentials": {
                    "type": "oauth2",
                    "description": "The identity provider's token endpoint (its /.well-known/openid-configuration has the authoritative address). Tokens are checked by introspection.",
                    "flows": { "clientCredentials": { "tokenUrl": token_url, "scopes": {
                        "emergency:write": "Push emergency-room occupancy",
                        "surgery:write": "Push operating-theatre events",
                        "screening:write": "Push FIT kit steps and screening results (the regional screening centre)"
                    } } }
                }
            },
            "schemas": {
                "Error": error,
                "ErStatusReport": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["event_id", "unit", "reported_at", "waiting", "in_treatment"],
                    "properties": {
                        "event_id": { "type": "string", "minLength": 1, "maxLength": 100, "description": "Unique per client; retries reuse it." },
                        "unit": { "type": "string", "maxLength": 40, "description": "Facility code of the ER unit, e.g. HUB-GASLINI." },
                        "reported_at": { "type": "string", "format": "date-time", "description": "When the counts were taken (RFC 3339). At most 2 minutes ahead of the portal's clock, at most 24 hours old." },
                        "waiting": per_colour("Patients waiting, per triage colour.", MAX_COUNT, true),
                        "in_treatment": per_colour("Patients in treatment, per triage colour.", MAX_COUNT, true),
                        "mean_wait_minutes": per_colour("Optional mean wait in minutes, per colour; any colour may be left out.", MAX_WAIT_MINUTES, false)
                    }
                },
                "SurgeryPhaseEvent": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["event_id", "hospital", "case_id", "phase", "at"],
                    "properties": {
                        "event_id": { "type": "string", "minLength": 1, "maxLength": 100, "description": "Unique per client; retries reuse it." },
                        "hospital": { "type": "string", "maxLength": 40, "description": "Facility code of the hospital, e.g. HUB-SANMARTINO." },
                        "case_id": { "type": "string", "maxLength": 64, "pattern": "^[A-Za-z0-9._/-]+$", "description": "The hospital's own operation id: a code, never a name or a diagnosis." },
                        "phase": { "enum": Phase::ALL.map(Phase::code), "description": "admitted → in_block → in_theatre → surgery_started → surgery_ended → recovery → back_to_ward (or intensive_care). A case only moves forward: an earlier phase arriving late answers `outdated` and only fills in the timeline." },
                        "at": { "type": "string", "format": "date-time", "description": "When the phase was reached (RFC 3339). At most 2 minutes ahead, at most 7 days old." },
                        "patient": { "type": "string", "description": "The patient's fiscal code: required on a case's first event (and with `authorised`); must match on later ones." },
                        "authorised": { "type": "array", "maxItems": MAX_AUTHORISED, "items": { "type": "string" }, "description": "Fiscal codes of the people the patient named on admission; someone the patient later withdrew is never added again." }
                    }
                },
                "ScreeningEvent": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["event_id", "kind", "reference", "at"],
                    "properties": {
                        "event_id": { "type": "string", "minLength": 1, "maxLength": 100, "description": "Unique per client; retries reuse it." },
                        "kind": { "enum": ["kit_ready", "kit_collected", "sample_returned", "result"], "description": "A FIT kit moves requested → kit_ready → kit_collected → sample_returned → result, only forward (a late earlier step answers `outdated`). An appointment (mammography, cervical sample, second-level exam) receives only `result`." },
                        "reference": { "type": "string", "maxLength": 40, "pattern": "^[A-Za-z0-9-]+$", "description": "The kit code (KIT-…) printed on the kit, or the appointment code (SC-…)." },
                        "at": { "type": "string", "format": "date-time", "description": "When it happened (RFC 3339). At most 2 minutes ahead, at most 90 days old." },
                        "result": {
                            "type": "object",
                            "additionalProperties": false,
                            "description": "Required with kind `result`, refused otherwise. A kit's result is the measured haemoglobin (positive from 100 ng/mL) or `outcome: inadequate`; an appointment's result needs `outcome`. The result becomes an FSE document and a notification; a positive one proposes the second-level exam.",
                            "properties": {
                                "outcome": { "enum": ["negative", "positive", "inadequate"] },
                                "haemoglobin_ng_ml": { "type": "integer", "minimum": 0, "maximum": crate::screening::ingest::MAX_HAEMOGLOBIN_NG_ML },
                                "report": { "type": "string", "maxLength": crate::screening::ingest::MAX_REPORT_CHARS }
                            }
                        }
                    }
                }
            }
        },
        "paths": {
            "/ingest/v1/emergency/status": {
                "post": {
                    "summary": "Report an ER unit's occupancy",
                    "security": [{ "clientCredentials": ["emergency:write"] }],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErStatusReport" } } } },
                    "responses": write_responses("The token lacks emergency:write, or the client may not report for this unit", "Invalid report: `problems` names each field")
                }
            },
            "/ingest/v1/surgery/events": {
                "post": {
                    "summary": "Report the phase an operation reached",
                    "security": [{ "clientCredentials": ["surgery:write"] }],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SurgeryPhaseEvent" } } } },
                    "responses": write_responses("The token lacks surgery:write, or the client may not send events for this hospital", "Invalid event: `problems` names each field")
                }
            },
            "/ingest/v1/screening/events": {
                "post": {
                    "summary": "Report a FIT kit's step or a screening result",
                    "security": [{ "clientCredentials": ["screening:write"] }],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ScreeningEvent" } } } },
                    "responses": screening_responses
                }
            },
            "/ingest/v1/emergency/whoami": {
                "get": {
                    "summary": "Check a token with emergency:write",
                    "security": [{ "clientCredentials": ["emergency:write"] }],
                    "responses": { "200": { "description": "The client and its scopes" }, "401": { "description": "No valid token" }, "403": { "description": "Scope missing" } }
                }
            },
            "/ingest/v1/surgery/whoami": {
                "get": {
                    "summary": "Check a token with surgery:write",
                    "security": [{ "clientCredentials": ["surgery:write"] }],
                    "responses": { "200": { "description": "The client and its scopes" }, "401": { "description": "No valid token" }, "403": { "description": "Scope missing" } }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_document_describes_the_er_report_with_the_limits_in_force() {
        let document = super::document("https://idp.example/token");
        assert_eq!(document["openapi"], "3.1.0");
        let report = &document["components"]["schemas"]["ErStatusReport"];
        assert_eq!(report["properties"]["waiting"]["properties"]["green"]["maximum"], super::MAX_COUNT);
        assert!(document["paths"]["/ingest/v1/emergency/status"]["post"]["responses"]["422"].is_object());
    }
}
