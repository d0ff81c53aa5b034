#include "publish/opendata/wib_time.hpp"

#include <chrono>
#include <cstdio>

namespace rekap::publish {

namespace {

constexpr std::int64_t kWibOffsetMs = 7 * 3600 * 1000;

struct Civil {
  int year;
  unsigned month, day, hour, minute, second, millis;
};

Civil civil(std::int64_t unix_ms) {
  using namespace std::chrono;
  sys_time<milliseconds> t{milliseconds(unix_ms)};
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss<milliseconds> tod{t - day};
  return {int(ymd.year()),
          unsigned(ymd.month()),
          unsigned(ymd.day()),
          unsigned(tod.hours().count()),
          unsigned(tod.minutes().count()),
          unsigned(tod.seconds().count()),
          unsigned(tod.subseconds().count())};
}

}  // namespace

std::int64_t unix_ms_now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string wib_timestamp(std::int64_t unix_ms) {
  Civil c = civil(unix_ms + kWibOffsetMs);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02u:%02u:%02u", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return buf;
}

std::string wib_date(std::int64_t unix_ms) {
  return wib_timestamp(unix_ms).substr(0, 10);
}

std::string iso_utc(std::int64_t unix_ms) {
  Civil c = civil(unix_ms);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02u:%02u:%02u.%03uZ", c.year, c.month, c.day,
                c.hour, c.minute, c.second, c.millis);
  return buf;
}

std::string iso_utc_seconds(std::int64_t unix_ms) {
  return iso_utc(unix_ms).substr(0, 19) + "Z";
}

}  // namespace rekap::publish
