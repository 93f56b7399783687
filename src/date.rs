//! Dates as analysts write them: a year, a month, or a day (`2025`, `2025-06`, `2025-06-02`).

use std::fmt;

/// A date known to the year, the month or the day.
///
/// Ordering puts a less precise date before the more precise dates inside it, so `2025-06`
/// sorts before `2025-06-01`, and both after `2025-05-31`: on a timeline an event known only
/// to the month opens that month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// How precisely a [`PartialDate`] is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Year,
    Month,
    Day,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking that the day exists in its month.
    pub fn parse(s: &str) -> Result<PartialDate, String> {
        let s = s.trim();
        let bad = || {
            format!(
                "`{s}` is not a date; write it as YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2025-06-02)"
            )
        };
        let mut parts = s.split('-');
        let year_s = parts.next().ok_or_else(bad)?;
        if year_s.len() != 4 || !year_s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = year_s.parse().map_err(|_| bad())?;
        let mut two_digits = |what: &str| -> Result<Option<u8>, String> {
            match parts.next() {
                None => Ok(None),
                Some(p) if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                    Ok(Some(p.parse().map_err(|_| bad())?))
                }
                Some(_) => Err(format!("{}: the {what} needs two digits", bad())),
            }
        };
        let month = two_digits("month")?;
        let day = if month.is_some() {
            two_digits("day")?
        } else {
            None
        };
        if parts.next().is_some() {
            return Err(bad());
        }
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(format!("`{s}` has no month {m}: months run from 01 to 12"));
        }
        if let (Some(m), Some(d)) = (month, day) {
            let last = days_in_month(year, m);
            if d == 0 || d > last {
                return Err(format!(
                    "`{s}` does not exist: {} {year} has {last} days",
                    MONTHS[usize::from(m - 1)]
                ));
            }
        }
        Ok(PartialDate { year, month, day })
    }

    /// How precisely the date is known.
    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// The ISO form, as written: `2025`, `2025-06`, `2025-06-02`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// The date for readers: `2 June 2025`, `June 2025`, `2025`.
    pub fn display(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", MONTHS[usize::from(m - 1)], self.year),
            (Some(m), None) => format!("{} {}", MONTHS[usize::from(m - 1)], self.year),
            _ => self.year.to_string(),
        }
    }

    /// An RFC 3339 timestamp at the start of the date (for feeds, which need a full time).
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T00:00:00Z",
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1)
        )
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl PartialDate {
    /// The first day the date can mean, as a [`day_number`]: `2025-06` is 1 June 2025.
    pub fn earliest_day(&self) -> i64 {
        day_number(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day the date can mean, as a [`day_number`]: `2025-06` is 30 June 2025.
    pub fn latest_day(&self) -> i64 {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or_else(|| days_in_month(self.year, month));
        day_number(self.year, month, day)
    }

    /// The day `n` (a [`day_number`]) as a date known to the day.
    pub fn of_day_number(n: i64) -> PartialDate {
        // Howard Hinnant's `civil_from_days`, the inverse of `day_number`.
        let z = n + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        PartialDate {
            year,
            month: Some(month),
            day: Some(day),
        }
    }
}

/// The number of the day `year-month-day` counted from 1 January 1970 (day 0), in the
/// proleptic Gregorian calendar: the difference of two is the days between them.
pub fn day_number(year: i32, month: u8, day: u8) -> i64 {
    // Howard Hinnant's `days_from_civil`.
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_count_days_both_ways() {
        assert_eq!(day_number(1970, 1, 1), 0);
        assert_eq!(day_number(2025, 6, 2) - day_number(2024, 6, 2), 365);
        assert_eq!(day_number(2024, 3, 1) - day_number(2024, 2, 28), 2);
        for n in [-1, 0, 59, 19_000, 20_241, 30_000] {
            let d = PartialDate::of_day_number(n);
            assert_eq!(d.earliest_day(), n, "{d}");
        }
        let june = PartialDate::parse("2025-06").unwrap();
        assert_eq!(june.latest_day() - june.earliest_day(), 29);
        let year = PartialDate::parse("2024").unwrap();
        assert_eq!(year.latest_day() - year.earliest_day(), 365);
    }

    #[test]
    fn parses_the_three_precisions() {
        assert_eq!(
            PartialDate::parse("2025").unwrap().precision(),
            Precision::Year
        );
        assert_eq!(
            PartialDate::parse("2025-06").unwrap().precision(),
            Precision::Month
        );
        let d = PartialDate::parse("2025-06-02").unwrap();
        assert_eq!(d.precision(), Precision::Day);
        assert_eq!(d.display(), "2 June 2025");
        assert_eq!(d.iso(), "2025-06-02");
    }

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        assert!(
            PartialDate::parse("2025-02-30")
                .unwrap_err()
                .contains("28 days")
        );
        assert!(PartialDate::parse("2024-02-29").is_ok());
        assert!(PartialDate::parse("2025-13").is_err());
        assert!(PartialDate::parse("2025-6-2").is_err());
        assert!(PartialDate::parse("June 2025").is_err());
        assert!(PartialDate::parse("2025-06-02-01").is_err());
    }

    #[test]
    fn less_precise_dates_open_their_period() {
        let mut v: Vec<PartialDate> = ["2025-06-02", "2025", "2025-06", "2025-05-31", "2024-12"]
            .iter()
            .map(|s| PartialDate::parse(s).unwrap())
            .collect();
        v.sort();
        let iso: Vec<String> = v.iter().map(|d| d.iso()).collect();
        assert_eq!(
            iso,
            ["2024-12", "2025", "2025-05-31", "2025-06", "2025-06-02"]
        );
    }
}
