//! The client's address for the audit log. Behind the load balancer every
//! connection comes from nginx; nginx appends the address it saw to
//! `X-Forwarded-For`. That header is believed only when the connection
//! comes from a trusted proxy (`PORTALE_TRUSTED_PROXIES`), and only its
//! right-most untrusted entry: anything further left was written by the
//! client and could say anything.

use axum::http::HeaderMap;
use std::net::IpAddr;

/// The address to record for a request that arrived from `peer`.
pub fn client_address(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(address) if trusted.contains(&address) => continue,
            Ok(address) => return Some(address),
            // A malformed entry: stop believing the chain here.
            Err(_) => return Some(peer),
        }
    }
    Some(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append("x-forwarded-for", value.parse().expect("header"));
        }
        map
    }

    const PROXY: &str = "127.0.0.1";
    const CLIENT: &str = "203.0.113.7";

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("address")
    }

    #[test]
    fn a_direct_client_is_its_own_address_whatever_it_claims() {
        let claimed = headers(&["198.51.100.1"]);
        assert_eq!(client_address(Some(ip(CLIENT)), &claimed, &[ip(PROXY)]), Some(ip(CLIENT)));
        assert_eq!(client_address(Some(ip(CLIENT)), &claimed, &[]), Some(ip(CLIENT)));
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_hop_counts() {
        let trusted = [ip(PROXY), ip("10.0.0.2")];
        // The client forged the first entry; nginx appended the real one.
        let chain = headers(&["198.51.100.1, 203.0.113.7"]);
        assert_eq!(client_address(Some(ip(PROXY)), &chain, &trusted), Some(ip(CLIENT)));
        // Two proxies in a row, one header line each.
        let two = headers(&["203.0.113.7", "10.0.0.2"]);
        assert_eq!(client_address(Some(ip(PROXY)), &two, &trusted), Some(ip(CLIENT)));
    }

    #[test]
    fn a_proxy_without_the_header_or_with_garbage_is_the_address() {
        assert_eq!(client_address(Some(ip(PROXY)), &headers(&[]), &[ip(PROXY)]), Some(ip(PROXY)));
        let garbage = headers(&["203.0.113.7, sconosciuto"]);
        assert_eq!(client_address(Some(ip(PROXY)), &garbage, &[ip(PROXY)]), Some(ip(PROXY)));
        assert_eq!(client_address(None, &garbage, &[ip(PROXY)]), None);
    }
}
