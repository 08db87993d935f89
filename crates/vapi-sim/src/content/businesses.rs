//! Client businesses of the seeded agency and their web origins.

pub const BUSINESSES: &[&str] = &[
    "Acme Dental",
    "Brightside Plumbing",
    "Harbor View Realty",
    "Summit Physio",
    "Northwind Legal",
    "Green Leaf Landscaping",
    "Bluebird Vet Clinic",
    "Cedar Auto Repair",
    "Lakeside Family Dentistry",
    "Pinecrest HVAC",
    "Riverside Yoga Studio",
    "Golden Crust Bakery",
    "Metro Locksmiths",
    "Sunrise Home Care",
    "Oakwood Accounting",
    "Coastal Roofing",
    "Urban Paws Grooming",
    "Silverline Electric",
    "Maple Street Pediatrics",
    "Evergreen Insurance",
];

pub const AGENCY: &str = "Northstar Voice Agency";

/// The business name of client number `i`; past the list, names repeat with
/// a branch number ("Acme Dental 2") so every org name stays unique.
pub fn business_name(i: usize) -> String {
    let base = BUSINESSES[i % BUSINESSES.len()];
    let round = i / BUSINESSES.len();
    if round == 0 {
        base.to_owned()
    } else {
        format!("{base} {}", round + 1)
    }
}

/// `Acme Dental 2` -> `acme-dental-2.com`.
pub fn domain(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{slug}.com")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_domains() {
        assert_eq!(business_name(0), "Acme Dental");
        assert_eq!(business_name(BUSINESSES.len()), "Acme Dental 2");
        assert_eq!(domain("Acme Dental 2"), "acme-dental-2.com");
        assert!((0..200).all(|i| business_name(i).chars().count() <= 40));
    }
}
