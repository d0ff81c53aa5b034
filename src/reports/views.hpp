#pragma once
// The public JSON of reports (docs/api.md#reports): a report, a TPS's reports with their counts,
// and the counts over a region. No client address is ever part of them. Pure logic.
#include <boost/json/value.hpp>
#include <vector>

#include "core/definition.hpp"
#include "store/report.hpp"

namespace rekap::reports {

inline constexpr std::size_t kTpsReportsShown = 50;
inline constexpr std::size_t kRegionReportsShown = 10;

boost::json::value report_json(const Report& r);

// GET /api/v1/reports/<tps>: counts per ballot and field, and the newest reports first.
boost::json::value tps_reports_json(const Definition& def, int tps, const ReportCounts& counts,
                                    const std::vector<Report>& newest);

// GET /api/v1/reports[/<region>]: counts per ballot, per sub-region (or TPS of a desa) with
// reports, the TPS with the most reports, and the newest reports.
boost::json::value region_reports_json(const Definition& def, int region,
                                       const ReportCounts& counts,
                                       const std::vector<ReportGroup>& children,
                                       const std::vector<ReportGroup>& top_tps,
                                       const std::vector<Report>& newest);

}  // namespace rekap::reports
