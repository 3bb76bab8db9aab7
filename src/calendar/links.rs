//! Subscribe links: the three ways every feed is offered (SPEC §5.1) — the https URL, a
//! `webcal://` link calendar apps open as a subscription, and Google Calendar's "add by URL".

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but RFC 3986's unreserved characters is encoded in a query value.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a URL query value.
pub fn query_value(text: &str) -> String {
    utf8_percent_encode(text, QUERY_VALUE).to_string()
}

/// The `webcal://` form of an http(s) feed URL; `None` for anything else.
pub fn webcal(url: &str) -> Option<String> {
    url.strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .map(|rest| format!("webcal://{rest}"))
}

/// Google Calendar's "add this calendar by URL" link; `None` unless `url` is http(s).
/// Google reads an `https://` address in `cid` as an account name and refuses it, so the
/// feed goes in its `webcal://` form.
pub fn google_subscribe(url: &str) -> Option<String> {
    Some(format!(
        "https://calendar.google.com/calendar/render?cid={}",
        query_value(&webcal(url)?)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_links_come_three_ways() {
        let url = "https://hub.example/seminars/seminars.ics";
        assert_eq!(
            webcal(url).as_deref(),
            Some("webcal://hub.example/seminars/seminars.ics")
        );
        assert_eq!(
            google_subscribe(url).as_deref(),
            Some(
                "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fhub.example%2Fseminars%2Fseminars.ics"
            )
        );
        assert_eq!(google_subscribe("/seminars/seminars.ics"), None);
    }

    #[test]
    fn query_values_keep_only_unreserved_characters() {
        assert_eq!(
            query_value("webcal://h.org/a b.ics~x_y-z"),
            "webcal%3A%2F%2Fh.org%2Fa%20b.ics~x_y-z"
        );
        assert_eq!(query_value("Łódź"), "%C5%81%C3%B3d%C5%BA");
    }
}
