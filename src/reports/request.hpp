#pragma once
// The body of POST /api/v1/reports, read and checked against the election's definition before
// anything is stored or counted (docs/api.md#post-apiv1reports). Pure logic.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/definition.hpp"
#include "store/report.hpp"
#include "store/store.hpp"

namespace rekap::reports {

inline constexpr std::size_t kReportBodyLimit = 16 * 1024;
inline constexpr std::size_t kReportTextMin = 10;  // characters (code points)
inline constexpr std::size_t kReportTextMax = 1000;
inline constexpr std::size_t kReportFieldsMax = 10;

// Why a report is refused: an HTTP status, a stable code, the request member it concerns ("" for
// the whole body) and a message for people.
class ReportRefused : public std::runtime_error {
 public:
  ReportRefused(int status, std::string code, std::string member, const std::string& message)
      : std::runtime_error(message),
        status_(status),
        code_(std::move(code)),
        member_(std::move(member)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::string& member() const { return member_; }

 private:
  int status_;
  std::string code_;
  std::string member_;
};

// Reads {"tps", "ballot", "fields"?, "text", "statement"?, "image"?}: a TPS of the election, a
// ballot it votes on, fields of that contest's form, a text of kReportTextMin..kReportTextMax
// characters without control characters (line breaks and tabs aside; "\r\n" becomes "\n", and
// white space around it is trimmed), and a statement id and photo hash as 64 hex digits. The
// report's id and time are left for the store. Throws ReportRefused.
Report parse_report(std::string_view body, const Definition& def);

// Checks that the statement and photo the report names are a statement about its TPS and ballot
// and a photo one of them came with, given every statement stored about the TPS (in any order).
// Throws ReportRefused.
void check_evidence(const Report& report, const std::vector<StoredStatement>& about_tps);

}  // namespace rekap::reports
