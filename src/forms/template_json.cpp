#include "forms/template_json.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <stdexcept>

namespace rekap::forms {

namespace json = boost::json;

namespace {

// ---- writing

json::object rect_json(const Rect& r) {
  return {{"x", r.x}, {"y", r.y}, {"w", r.w}, {"h", r.h}};
}

json::array point_json(const Point& p) {
  return {p.x, p.y};
}

json::object field_json(const FieldPlacement& f) {
  json::array boxes;
  for (const Rect& b : f.boxes) boxes.push_back(rect_json(b));
  json::array bubbles;
  for (const auto& row : f.bubbles) {
    json::array r;
    for (const Point& p : row) r.push_back(point_json(p));
    bubbles.push_back(std::move(r));
  }
  return {{"field", f.field},
          {"label", f.label},
          {"label_area", rect_json(f.label_area)},
          {"boxes", std::move(boxes)},
          {"bubble_radius", f.bubble_radius},
          {"bubbles", std::move(bubbles)}};
}

json::object page_json(const Page& p) {
  json::array markers;
  for (const Marker& m : p.markers) {
    const Rect& r = m.square;
    markers.push_back(json::object{{"id", m.id}, {"x", r.x}, {"y", r.y}, {"w", r.w}, {"h", r.h}});
  }
  json::array texts;
  for (const TextItem& t : p.texts) {
    texts.push_back(json::object{{"x", t.at.x},
                                 {"y", t.at.y},
                                 {"size", t.size},
                                 {"bold", t.bold},
                                 {"max_width", t.max_width},
                                 {"text", t.text}});
  }
  json::array fields;
  for (const FieldPlacement& f : p.fields) fields.push_back(field_json(f));
  return {{"number", p.number},
          {"markers", std::move(markers)},
          {"qr", rect_json(p.qr)},
          {"texts", std::move(texts)},
          {"fields", std::move(fields)}};
}

// ---- reading: every access names its key's path, so an error says where the file is wrong

std::string key_path(const std::string& base, std::string_view key) {
  return base.empty() ? std::string(key) : base + "." + std::string(key);
}

std::string index_path(const std::string& base, std::size_t i) {
  return base + "[" + std::to_string(i) + "]";
}

[[noreturn]] void bad(const std::string& path, std::string_view what) {
  throw std::invalid_argument("template JSON: `" + path + "` " + std::string(what));
}

double number_at(const json::value& v, const std::string& path) {
  double d = 0;
  if (v.is_double()) {
    d = v.get_double();
  } else if (v.is_int64()) {
    d = static_cast<double>(v.get_int64());
  } else if (v.is_uint64()) {
    d = static_cast<double>(v.get_uint64());
  } else {
    bad(path, "must be a number");
  }
  if (!std::isfinite(d)) bad(path, "must be finite");
  return d;
}

const json::array& array_at(const json::value& v, const std::string& path, std::size_t size) {
  if (!v.is_array()) bad(path, "must be an array");
  if (size && v.get_array().size() != size) {
    bad(path, "must have " + std::to_string(size) + " elements");
  }
  return v.get_array();
}

// An object whose keys are exactly the expected ones: a misspelt key must not pass silently.
class Obj {
 public:
  Obj(const json::value& v, std::string path, std::initializer_list<std::string_view> keys)
      : path_(std::move(path)) {
    if (!v.is_object()) bad(path_.empty() ? "(top level)" : path_, "must be an object");
    obj_ = &v.get_object();
    for (const auto& kv : *obj_) {
      bool known = false;
      for (auto k : keys) known = known || kv.key() == k;
      if (!known) bad(key_path(path_, kv.key()), "is not a template key");
    }
  }

  const json::value& at(std::string_view key) const {
    const json::value* v = obj_->if_contains(key);
    if (!v) bad(path(key), "is missing");
    return *v;
  }
  std::string path(std::string_view key) const { return key_path(path_, key); }

  double number(std::string_view key) const { return number_at(at(key), path(key)); }
  double positive(std::string_view key) const {
    double d = number(key);
    if (d <= 0) bad(path(key), "must be positive");
    return d;
  }
  int integer(std::string_view key) const {
    const json::value& v = at(key);
    if (!v.is_int64() || v.get_int64() < 0 || v.get_int64() > 1'000'000) {
      bad(path(key), "must be a whole number from 0 to 1000000");
    }
    return static_cast<int>(v.get_int64());
  }
  std::string string(std::string_view key) const {
    const json::value& v = at(key);
    if (!v.is_string()) bad(path(key), "must be a string");
    return std::string(v.get_string());
  }
  bool boolean(std::string_view key) const {
    const json::value& v = at(key);
    if (!v.is_bool()) bad(path(key), "must be true or false");
    return v.get_bool();
  }
  const json::array& array(std::string_view key, std::size_t size = 0) const {
    return array_at(at(key), path(key), size);
  }

 private:
  std::string path_;
  const json::object* obj_ = nullptr;
};

Rect rect_from(const json::value& v, const std::string& path) {
  Obj o(v, path, {"x", "y", "w", "h"});
  return {o.number("x"), o.number("y"), o.positive("w"), o.positive("h")};
}

Point point_from(const json::value& v, const std::string& path) {
  const json::array& a = array_at(v, path, 2);
  return {number_at(a[0], index_path(path, 0)), number_at(a[1], index_path(path, 1))};
}

FieldPlacement field_from(const json::value& v, const std::string& path) {
  Obj o(v, path, {"field", "label", "label_area", "boxes", "bubble_radius", "bubbles"});
  FieldPlacement f;
  f.field = o.string("field");
  if (f.field.empty()) bad(o.path("field"), "must not be empty");
  f.label = o.string("label");
  f.label_area = rect_from(o.at("label_area"), o.path("label_area"));
  const json::array& boxes = o.array("boxes", 3);
  for (std::size_t i = 0; i < 3; ++i)
    f.boxes[i] = rect_from(boxes[i], index_path(o.path("boxes"), i));
  f.bubble_radius = o.positive("bubble_radius");
  const json::array& rows = o.array("bubbles", 3);
  for (std::size_t r = 0; r < 3; ++r) {
    std::string row_path = index_path(o.path("bubbles"), r);
    const json::array& row = array_at(rows[r], row_path, 10);
    for (std::size_t d = 0; d < 10; ++d)
      f.bubbles[r][d] = point_from(row[d], index_path(row_path, d));
  }
  return f;
}

Page page_from(const json::value& v, const std::string& path, int number) {
  Obj o(v, path, {"number", "markers", "qr", "texts", "fields"});
  Page p;
  p.number = o.integer("number");
  if (p.number != number) bad(o.path("number"), "must be " + std::to_string(number));
  const json::array& markers = o.array("markers", 4);
  for (std::size_t i = 0; i < 4; ++i) {
    std::string mpath = index_path(o.path("markers"), i);
    Obj m(markers[i], mpath, {"id", "x", "y", "w", "h"});
    p.markers[i].id = m.integer("id");
    if (p.markers[i].id != static_cast<int>(i)) bad(m.path("id"), "must be " + std::to_string(i));
    p.markers[i].square = {m.number("x"), m.number("y"), m.positive("w"), m.positive("h")};
  }
  p.qr = rect_from(o.at("qr"), o.path("qr"));
  const json::array& texts = o.array("texts");
  for (std::size_t i = 0; i < texts.size(); ++i) {
    Obj t(texts[i], index_path(o.path("texts"), i),
          {"x", "y", "size", "bold", "max_width", "text"});
    p.texts.push_back({{t.number("x"), t.number("y")},
                       t.positive("size"),
                       t.boolean("bold"),
                       t.string("text"),
                       t.positive("max_width")});
  }
  const json::array& fields = o.array("fields");
  for (std::size_t i = 0; i < fields.size(); ++i) {
    p.fields.push_back(field_from(fields[i], index_path(o.path("fields"), i)));
  }
  return p;
}

// ---- text

void write_number(std::string& out, double d) {
  if (!std::isfinite(d)) throw std::invalid_argument("JSON cannot hold " + std::to_string(d));
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  out.append(buf, end);
}

void write_compact(std::string& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::string(kv.key()));
        out += ':';
        write_compact(out, kv.value());
      }
      out += '}';
      break;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out += ',';
        first = false;
        write_compact(out, e);
      }
      out += ']';
      break;
    }
    case json::kind::double_:
      write_number(out, v.get_double());
      break;
    default:  // strings, integers, booleans and null: Boost's text is already plain
      out += json::serialize(v);
      break;
  }
}

constexpr std::size_t kLineWidth = 100;

// An array of points ([[x, y], ...]) reads best on one line however long it is.
bool is_point_list(const json::value& v) {
  if (!v.is_array()) return false;
  for (const auto& e : v.get_array()) {
    if (!e.is_array()) return false;
    for (const auto& n : e.get_array()) {
      if (!n.is_number()) return false;
    }
  }
  return true;
}

void write_pretty(std::string& out, const json::value& v, std::size_t indent) {
  std::string compact;
  write_compact(compact, v);
  bool container = v.is_object() || v.is_array();
  bool empty = container && (v.is_object() ? v.get_object().empty() : v.get_array().empty());
  if (!container || empty || indent + compact.size() <= kLineWidth || is_point_list(v)) {
    out += compact;
    return;
  }
  std::string inner(indent + 2, ' ');
  out += v.is_object() ? "{\n" : "[\n";
  bool first = true;
  if (v.is_object()) {
    for (const auto& kv : v.get_object()) {
      if (!first) out += ",\n";
      first = false;
      out += inner + json::serialize(json::string(kv.key())) + ": ";
      write_pretty(out, kv.value(), indent + 2);
    }
  } else {
    for (const auto& e : v.get_array()) {
      if (!first) out += ",\n";
      first = false;
      out += inner;
      write_pretty(out, e, indent + 2);
    }
  }
  out += "\n" + std::string(indent, ' ') + (v.is_object() ? "}" : "]");
}

}  // namespace

json::value template_to_json(const Template& t) {
  json::array pages;
  for (const Page& p : t.pages) pages.push_back(page_json(p));
  return json::object{{"format", kTemplateFormat},
                      {"id", t.id},
                      {"tps", t.tps},
                      {"ballot", ballot_id(t.ballot)},
                      {"contest", t.contest},
                      {"paper", paper_name(t.paper)},
                      {"width", t.width},
                      {"height", t.height},
                      {"pages", std::move(pages)}};
}

Template template_from_json(const json::value& v) {
  Obj o(v, "", {"format", "id", "tps", "ballot", "contest", "paper", "width", "height", "pages"});
  if (o.string("format") != kTemplateFormat) {
    bad("format", "must be \"" + std::string(kTemplateFormat) + "\"");
  }
  Template t;
  t.id = o.string("id");
  if (t.id.empty()) bad("id", "must not be empty");
  t.tps = o.string("tps");
  auto ballot = parse_ballot(o.string("ballot"));
  if (!ballot) bad("ballot", "must be one of ppwp, pdpr, pdpd, pdprdp, pdprdk");
  t.ballot = *ballot;
  t.contest = o.string("contest");
  auto paper = parse_paper(o.string("paper"));
  if (!paper) bad("paper", "must be \"a4\" or \"a3\"");
  t.paper = *paper;
  t.width = o.positive("width");
  t.height = o.positive("height");
  const json::array& pages = o.array("pages");
  if (pages.empty()) bad("pages", "must not be empty");
  for (std::size_t i = 0; i < pages.size(); ++i) {
    t.pages.push_back(page_from(pages[i], index_path("pages", i), static_cast<int>(i) + 1));
  }
  return t;
}

std::string format_json(const json::value& v) {
  std::string out;
  write_pretty(out, v, 0);
  out += '\n';
  return out;
}

}  // namespace rekap::forms
