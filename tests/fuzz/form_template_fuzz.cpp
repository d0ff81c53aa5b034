// Form templates as JSON files (`rekap form template`, docs/forms.md): reading names what is
// wrong, never crashes, and a template that reads writes back to what it read.
#include <boost/json/parse.hpp>
#include <stdexcept>

#include "forms/template_json.hpp"
#include "fuzz.hpp"

using namespace rekap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(fuzz::input(data, size), ec);
  if (ec) return 0;
  try {
    forms::Template t = forms::template_from_json(v);
    const boost::json::value again = forms::template_to_json(t);
    fuzz::check(forms::template_to_json(forms::template_from_json(again)) == again,
                "a template read back from its JSON is the same template");
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
