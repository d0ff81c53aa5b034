#pragma once
// Templates as JSON files (docs/forms.md describes every key): what `rekap form template`
// writes and what the reader loads.
#include <boost/json/value.hpp>
#include <string>

#include "forms/template.hpp"

namespace rekap::forms {

inline constexpr std::string_view kTemplateFormat = "rekap-c1-template/1";

boost::json::value template_to_json(const Template& t);

// Throws std::invalid_argument naming the key (as a path, e.g. `pages[0].fields[3].boxes`)
// that is missing, misspelt, of the wrong type or out of range.
Template template_from_json(const boost::json::value& v);

// JSON text for people as well as programs: short arrays and objects on one line, longer ones
// one element per line, numbers in plain decimals (Boost.JSON would write 42.6 as 4.26E1).
std::string format_json(const boost::json::value& v);

}  // namespace rekap::forms
