#pragma once
// Times as the open data shows them. Sirekap published "YYYY-MM-DD HH:MM:SS" in WIB (UTC+7),
// so the Sirekap-compatible tree does too, and a daily archive is named by its WIB date: the
// day as people in Jakarta count it. The CSV and CDF use ISO 8601 in UTC.
#include <cstdint>
#include <string>

namespace rekap::publish {

// Unix time in milliseconds, now.
std::int64_t unix_ms_now();
// "2024-02-14 20:00:00" in WIB.
std::string wib_timestamp(std::int64_t unix_ms);
// "2024-02-14", the WIB calendar date.
std::string wib_date(std::int64_t unix_ms);
// "2024-02-14T13:00:00.123Z".
std::string iso_utc(std::int64_t unix_ms);
// "2024-02-14T13:00:00Z", to the second: NIST SP 1500-100's DateTimeWithZone has no fraction.
std::string iso_utc_seconds(std::int64_t unix_ms);

}  // namespace rekap::publish
