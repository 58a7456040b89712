//! The OpenAPI 3.1 description of the ingest API, served at the stable
//! address `/ingest/v1/openapi.json`. Besides the schemas, it states the
//! rules every ingest body follows (`docs/EMERGENCY.md`, "Common rules of
//! the ingest API"): JSON declared as such (415), no repeated key, the
//! free-text rules for every string, at most [`MAX_PROBLEMS`] problems
//! listed in a 422.

use serde_json::{json, Value};

use app::surgery::model::{Phase, MAX_AUTHORISED};

use super::ingest::{MAX_COUNT, MAX_WAIT_MINUTES};
use crate::ingest::body::{MAX_FIELD_CHARS, MAX_PROBLEMS};

/// The rules common to the three ingest bodies, in CommonMark, for each
/// request body's description; `multiline` names the one field that may
/// span lines, if any. Kept in step with `json_object`, `capped` and
/// `problem` (`ingest::body`), `require_scope` (`ingest::guard`)
/// and `app::domain::text`.
fn body_rules(multiline: Option<&str>) -> String {
    let lines = match multiline {
        Some(field) => format!(
            "Only `{field}` may span several lines: line feeds and tabs are allowed there, and a carriage return \
             only as part of CR LF. Every other string must fit on one line (no line break, no tab)."
        ),
        None => "Every string must fit on one line: no line break, no tab.".to_string(),
    };
    format!(
        "Rules common to every ingest endpoint:\n\n\
         - **JSON only**: send exactly one `Content-Type: application/json` header (parameters such as \
         `; charset=utf-8` are allowed). Anything else answers **415** (`unsupported_media_type`, one problem for \
         the field `Content-Type`) without reading the body. The token is checked first (401, 403).\n\
         - **No repeated key**: a key that appears twice in the same object, at any depth, is refused with **422** \
         and one problem naming its path (e.g. `waiting.red`, `result.outcome`). The body is never resolved to the \
         first or the last copy, since JSON readers disagree on which one wins. The body must be one JSON object.\n\
         - **Characters**: every string value, at any depth, is checked and refused with **422** (naming the field, \
         the character's code point and its position), never repaired: nothing is removed, replaced or normalised; \
         only whitespace around a value is dropped. Refused: NUL and the other C0 controls (U+0000–U+001F), DEL (U+007F) \
         and the C1 controls (U+0080–U+009F); line and paragraph separators (U+2028, U+2029); bidirectional \
         controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C); invisible characters (U+200B–U+200D, \
         U+2060–U+2064, U+FEFF, U+00AD, U+034F, U+180E, U+115F, U+1160, U+3164, U+FFA0, U+FFF9–U+FFFB, \
         U+E0000–U+E007F); noncharacters (U+FDD0–U+FDEF and the last two code points of every plane: U+FFFE, \
         U+FFFF, U+1FFFE … U+10FFFF); private-use characters (U+E000–U+F8FF, U+F0000–U+10FFFD). {lines} Letters \
         of any script, accents (precomposed or combining) and emoji are accepted. `maxLength` counts Unicode \
         characters (code points), not bytes.\n\
         - **At most {MAX_PROBLEMS} problems**: a 422 lists every problem found, up to {MAX_PROBLEMS}; when there \
         are more, one last entry with an empty `field` counts the rest (\"e altri N problemi\"). A `field` longer \
         than {MAX_FIELD_CHARS} characters (an unknown key is the sender's own text) is cut there and ends with `…`."
    )
}

/// The 422 description: what `invalid` is, and how problems are listed.
fn invalid_description(invalid: &str) -> String {
    format!(
        "{invalid}: `problems` names each field (its JSON path) with an Italian message; at most {MAX_PROBLEMS} are \
         listed, then one entry with an empty `field` says how many more there were (\"e altri N problemi\"). Also \
         answered for a body that is not one JSON object, for a key repeated anywhere in the body (its path named) \
         and for a string with a refused character (see the request body's rules)."
    )
}

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
        "415": error("The body is not declared as JSON: send exactly one `Content-Type: application/json` header \
                      (`; charset=utf-8` allowed). `error` is `unsupported_media_type`; `problems` names the field \
                      `Content-Type`. Nothing is read or stored."),
        "422": error(&invalid_description(invalid)),
        "503": error("The token could not be checked or the data stored now: retry later")
    })
}

/// `token_url`: the identity provider's token endpoint.
pub fn document(token_url: &str) -> Value {
    let mut screening_responses = write_responses(
        "The token lacks screening:write (`insufficient_scope`), or the client has no screening grant \
         (`client_not_granted`): the region grants each sending client (the regional screening centre) besides \
         the scope. A client without the grant is refused before its body is read, and nothing is stored.",
        "Invalid event",
    );
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
                "maxItems": MAX_PROBLEMS + 1,
                "description": format!("At most {MAX_PROBLEMS} problems, then, if there were more, one entry with an empty `field` counting them (\"e altri N problemi\")."),
                "items": {
                    "type": "object",
                    "properties": {
                        "field": { "type": "string", "maxLength": MAX_FIELD_CHARS + 1, "description": format!("JSON path, e.g. waiting.red or result.outcome; empty for the body as a whole and for the count of further problems. Cut at {MAX_FIELD_CHARS} characters, then `…`.") },
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
            "description": format!("Hospital systems push live data. Every call carries an OAuth2 bearer token obtained with client credentials from the region's identity provider; the token's scope must cover the route, and the client must hold the region's grant for what it sends (ER units, hospitals, screening). Every body is JSON sent as `application/json` (else 415), with no key repeated at any depth, and every string within the portal's character rules (no controls, bidirectional, invisible, noncharacter or private-use characters); a 422 lists at most {MAX_PROBLEMS} problems, then counts the rest. Each request body's description gives these rules in full. Reports are idempotent by (client, event_id): a retry answers `duplicate` and changes nothing. A report older than the unit's current one answers `outdated`: it is kept for the trend and never moves the board backwards; likewise an operating-theatre event for a phase earlier than the case's.")
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
                    "requestBody": { "required": true, "description": body_rules(None), "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErStatusReport" } } } },
                    "responses": write_responses("The token lacks emergency:write (`insufficient_scope`), or the client has no grant for this unit (`unit_not_granted`)", "Invalid report")
                }
            },
            "/ingest/v1/surgery/events": {
                "post": {
                    "summary": "Report the phase an operation reached",
                    "security": [{ "clientCredentials": ["surgery:write"] }],
                    "requestBody": { "required": true, "description": body_rules(None), "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SurgeryPhaseEvent" } } } },
                    "responses": write_responses("The token lacks surgery:write (`insufficient_scope`), or the client has no grant for this hospital (`hospital_not_granted`)", "Invalid event")
                }
            },
            "/ingest/v1/screening/events": {
                "post": {
                    "summary": "Report a FIT kit's step or a screening result",
                    "security": [{ "clientCredentials": ["screening:write"] }],
                    "requestBody": { "required": true, "description": body_rules(Some("result.report")), "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ScreeningEvent" } } } },
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

    #[test]
    fn every_ingest_endpoint_states_the_common_rules() {
        let document = super::document("https://idp.example/token");
        for path in ["/ingest/v1/emergency/status", "/ingest/v1/surgery/events", "/ingest/v1/screening/events"] {
            let operation = &document["paths"][path]["post"];
            let responses = &operation["responses"];
            let text = |value: &serde_json::Value| value.as_str().unwrap_or_default().to_string();
            assert!(text(&responses["415"]["description"]).contains("application/json"), "{path}");
            assert_eq!(responses["415"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Error");
            assert!(text(&responses["422"]["description"]).contains("at most 20"), "{path}");
            let rules = text(&operation["requestBody"]["description"]);
            for rule in ["415", "repeated key", "U+202E", "U+200B", "U+FEFF", "U+E000", "U+FDD0", "At most 20", "`…`"]
            {
                assert!(rules.contains(rule), "{path}: {rule}");
            }
        }
        let screening = &document["paths"]["/ingest/v1/screening/events"]["post"];
        assert!(screening["requestBody"]["description"].as_str().unwrap_or_default().contains("`result.report`"));
        let forbidden = screening["responses"]["403"]["description"].as_str().unwrap_or_default();
        assert!(forbidden.contains("grant") && forbidden.contains("client_not_granted"), "{forbidden}");
        let problems = &document["components"]["schemas"]["Error"]["properties"]["problems"];
        assert_eq!(problems["maxItems"], super::MAX_PROBLEMS + 1);
    }
}
