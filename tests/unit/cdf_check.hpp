#pragma once
// Checks a NIST SP 1500-100 v2 JSON ElectionReport against what the standard's JSON schema
// (usnistgov/ElectionResultsReporting, NIST_V2_election_results_reporting.json) says of the
// classes rekap writes: required properties, no properties the schema does not allow
// (additionalProperties is false throughout), the enumerations, and that every reference
// names an object of the report. Used by the unit and the integration tests.
#include <boost/json.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace rekap::test {

struct CdfClass {
  std::set<std::string> required;
  std::set<std::string> allowed;
};

inline const std::map<std::string, CdfClass>& cdf_classes() {
  static const std::map<std::string, CdfClass> classes = {
      {"ElectionResults.ElectionReport",
       {{"Format", "GeneratedDate", "Issuer", "IssuerAbbreviation", "SequenceEnd", "SequenceStart",
         "Status", "VendorApplicationId"},
        {"ExternalIdentifier",
         "Format",
         "GeneratedDate",
         "IsTest",
         "Issuer",
         "IssuerAbbreviation",
         "Notes",
         "Person",
         "SequenceEnd",
         "SequenceStart",
         "Signature",
         "Status",
         "TestType",
         "VendorApplicationId",
         "Election",
         "GpUnit",
         "Office",
         "OfficeGroup",
         "Party",
         "@type"}}},
      {"ElectionResults.Election",
       {{"ElectionScopeId", "EndDate", "Name", "StartDate", "Type"},
        {"ContactInformation", "CountStatus", "ElectionScopeId", "EndDate", "ExternalIdentifier",
         "Name", "OtherType", "StartDate", "Type", "BallotStyle", "Candidate", "Contest",
         "@type"}}},
      {"ElectionResults.Candidate",
       {{"BallotName", "@id"},
        {"BallotName", "ExternalIdentifier", "FileDate", "IsIncumbent", "IsTopTicket", "PartyId",
         "PersonId", "PostElectionStatus", "PreElectionStatus", "ContactInformation", "@id",
         "@type"}}},
      {"ElectionResults.CandidateContest",
       {{"VotesAllowed", "ElectoralDistrictId", "Name", "@id"},
        {"NumberElected",
         "NumberRunoff",
         "OfficeIds",
         "PrimaryPartyIds",
         "VotesAllowed",
         "Abbreviation",
         "BallotSubTitle",
         "BallotTitle",
         "CountStatus",
         "ElectoralDistrictId",
         "ExternalIdentifier",
         "HasRotation",
         "Name",
         "OtherVoteVariation",
         "SequenceOrder",
         "SubUnitsReported",
         "SummaryCounts",
         "TotalSubUnits",
         "VoteVariation",
         "BallotSelection",
         "@id",
         "@type"}}},
      {"ElectionResults.CandidateSelection",
       {{"CandidateIds", "@id"},
        {"CandidateIds", "EndorsementPartyIds", "IsWriteIn", "SequenceOrder", "VoteCounts", "@id",
         "@type"}}},
      {"ElectionResults.PartySelection",
       {{"PartyIds", "@id"}, {"PartyIds", "SequenceOrder", "VoteCounts", "@id", "@type"}}},
      {"ElectionResults.VoteCounts",
       {{"Count", "Type"},
        {"Count", "Device", "GpUnitId", "IsSuppressedForPrivacy", "OtherType", "Type", "@type"}}},
      {"ElectionResults.SummaryCounts",
       {{"Type"},
        {"BallotsCast", "BallotsOutstanding", "BallotsRejected", "Overvotes", "Undervotes",
         "WriteIns", "Device", "GpUnitId", "IsSuppressedForPrivacy", "OtherType", "Type",
         "@type"}}},
      {"ElectionResults.ReportingUnit",
       {{"Type", "@id"},
        {"AuthorityIds",
         "ContactInformation",
         "CountStatus",
         "IsDistricted",
         "IsMailOnly",
         "Number",
         "OtherType",
         "SubUnitsReported",
         "TotalSubUnits",
         "Type",
         "VotersParticipated",
         "VotersRegistered",
         "ElectionAdministration",
         "PartyRegistration",
         "SpatialDimension",
         "ComposingGpUnitIds",
         "ExternalIdentifier",
         "Name",
         "SummaryCounts",
         "@id",
         "@type"}}},
      {"ElectionResults.Party",
       {{"Name", "@id"},
        {"Abbreviation", "Color", "ExternalIdentifier", "IsWriteIn", "LogoUri", "Name", "@id",
         "@type"}}},
      {"ElectionResults.InternationalizedText", {{"Text"}, {"Label", "Text", "@type"}}},
      {"ElectionResults.LanguageString",
       {{"Content", "Language"}, {"Content", "Language", "@type"}}},
      {"ElectionResults.ExternalIdentifier",
       {{"Type", "Value"}, {"Label", "OtherType", "Type", "Value", "@type"}}},
  };
  return classes;
}

// Values the schema allows for an enumerated property of a class.
inline const std::map<std::pair<std::string, std::string>, std::set<std::string>>& cdf_enums() {
  static const std::set<std::string> count_types = {
      "absentee",     "absentee-fwab", "absentee-in-person", "absentee-mail", "early",
      "election-day", "other",         "provisional",        "total",         "uocava",
      "write-in"};
  static const std::map<std::pair<std::string, std::string>, std::set<std::string>> enums = {
      {{"ElectionResults.ElectionReport", "Format"}, {"precinct-level", "summary-contest"}},
      {{"ElectionResults.ElectionReport", "Status"},
       {"certified", "correction", "pre-election", "recount", "unofficial-complete",
        "unofficial-partial"}},
      {{"ElectionResults.Election", "Type"},
       {"general", "other", "partisan-primary-closed", "partisan-primary-open", "primary", "runoff",
        "special"}},
      {{"ElectionResults.ReportingUnit", "Type"}, {"ballot-batch",   "ballot-style-area",
                                                   "borough",        "city",
                                                   "city-council",   "combined-precinct",
                                                   "congressional",  "country",
                                                   "county",         "county-council",
                                                   "drop-box",       "judicial",
                                                   "municipality",   "other",
                                                   "polling-place",  "precinct",
                                                   "school",         "special",
                                                   "split-precinct", "state",
                                                   "state-house",    "state-senate",
                                                   "town",           "township",
                                                   "utility",        "village",
                                                   "vote-center",    "ward",
                                                   "water"}},
      {{"ElectionResults.VoteCounts", "Type"}, count_types},
      {{"ElectionResults.SummaryCounts", "Type"}, count_types},
      {{"ElectionResults.CandidateContest", "VoteVariation"},
       {"1-of-m", "approval", "borda", "cumulative", "majority", "n-of-m", "other", "plurality",
        "proportional", "range", "rcv", "super-majority"}},
      {{"ElectionResults.ExternalIdentifier", "Type"},
       {"fips", "local-level", "national-level", "ocd-id", "other", "state-level"}},
  };
  return enums;
}

namespace detail {

inline void cdf_walk(const boost::json::value& v, std::vector<std::string>& problems,
                     std::map<std::string, std::string>& ids,
                     std::vector<std::pair<std::string, std::string>>& refs) {
  if (v.is_array()) {
    for (const auto& item : v.get_array()) cdf_walk(item, problems, ids, refs);
    return;
  }
  if (!v.is_object()) return;
  const auto& o = v.get_object();
  const auto* type = o.if_contains("@type");
  if (!type || !type->is_string()) {
    problems.push_back("an object without @type: " + boost::json::serialize(v).substr(0, 120));
    return;
  }
  std::string cls(type->get_string());
  auto it = cdf_classes().find(cls);
  if (it == cdf_classes().end()) {
    problems.push_back("a class the check does not know: " + cls);
    return;
  }
  for (const auto& r : it->second.required) {
    if (!o.contains(r)) problems.push_back(cls + " without required " + r);
  }
  for (const auto& [key, value] : o) {
    std::string k(key);
    if (!it->second.allowed.count(k)) problems.push_back(cls + " has " + k + ", not in the schema");
    auto e = cdf_enums().find({cls, k});
    if (e != cdf_enums().end() &&
        (!value.is_string() || !e->second.count(std::string(value.get_string())))) {
      problems.push_back(cls + "." + k + " = " + boost::json::serialize(value) + " not allowed");
    }
    if (k == "@id") ids[std::string(value.as_string())] = cls;
    if (k == "GpUnitId" || k == "ElectoralDistrictId" || k == "ElectionScopeId" || k == "PartyId") {
      refs.emplace_back(k, std::string(value.as_string()));
    }
    if (k == "ComposingGpUnitIds" || k == "CandidateIds" || k == "PartyIds") {
      for (const auto& id : value.as_array()) refs.emplace_back(k, std::string(id.as_string()));
    }
    cdf_walk(value, problems, ids, refs);
  }
}

}  // namespace detail

// Everything wrong with the report; empty when it passes.
inline std::vector<std::string> cdf_problems(const boost::json::value& report) {
  std::vector<std::string> problems;
  std::map<std::string, std::string> ids;
  std::vector<std::pair<std::string, std::string>> refs;
  detail::cdf_walk(report, problems, ids, refs);
  for (const auto& [kind, id] : refs) {
    auto it = ids.find(id);
    std::string want = kind == "CandidateIds"                    ? "ElectionResults.Candidate"
                       : kind == "PartyIds" || kind == "PartyId" ? "ElectionResults.Party"
                                                                 : "ElectionResults.ReportingUnit";
    if (it == ids.end() || it->second != want)
      problems.push_back(kind + " " + id + " names no " + want);
  }
  return problems;
}

}  // namespace rekap::test
