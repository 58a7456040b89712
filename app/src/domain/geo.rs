//! Distances between places of the region.

/// Great-circle distance between two (latitude, longitude) points, in
/// tenths of a kilometre.
pub fn distance_tenths_km(from: (f64, f64), to: (f64, f64)) -> i64 {
    const EARTH_RADIUS_KM: f64 = 6371.0;
    let (lat1, lon1) = (from.0.to_radians(), from.1.to_radians());
    let (lat2, lon2) = (to.0.to_radians(), to.1.to_radians());
    let a = ((lat2 - lat1) / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    let km = 2.0 * EARTH_RADIUS_KM * a.sqrt().asin();
    (km * 10.0).round() as i64
}

#[cfg(test)]
mod tests {
    use super::distance_tenths_km;

    #[test]
    fn genoa_to_la_spezia_is_about_eighty_kilometres() {
        let genova = (44.4056, 8.9463);
        let la_spezia = (44.1025, 9.8241);
        let tenths = distance_tenths_km(genova, la_spezia);
        assert!((750..=790).contains(&tenths), "{tenths}");
        assert_eq!(distance_tenths_km(genova, genova), 0);
    }
}
