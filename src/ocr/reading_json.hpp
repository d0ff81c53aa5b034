#pragma once
// The reader's results as JSON, shared by `rekap ocr read --json` and the server's OCR endpoint
// (docs/forms.md describes the fields).
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "core/definition.hpp"
#include "ocr/form_assembly.hpp"

namespace rekap::ocr {

// A decided form; `images` names the photo of each page, in page order.
boost::json::object form_json(const Definition& def, const FormRead& form,
                              const std::vector<std::string>& images);

// A photo that was refused.
boost::json::object refusal_json(const std::string& image, const ReadError& e);

}  // namespace rekap::ocr
