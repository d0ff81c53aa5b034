#pragma once
// Persistence of the accepted statements (the log's entries, in order) and the state derived
// from them. An implementation makes every append durable before it returns.
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/definition.hpp"
#include "crypto/keys.hpp"
#include "store/report.hpp"

namespace rekap {

struct StoredStatement {
  std::uint64_t index = 0;  // position in the log, from 0
  Hash32 id{};              // SHA-256 of body
  Hash32 leaf{};            // Merkle leaf hash of the log entry (body and signature)
  std::string body;         // canonical statement bytes
  Signature signature{};
  std::string tps;               // "" for statements about no TPS (enrolments)
  int ballot = -1;               // -1 for statements about no ballot
  std::int64_t received_ms = 0;  // server clock, Unix milliseconds
};

// The root of a complete Merkle subtree of 256^level leaves (level >= 1), stored so that hash
// tiles and proofs never need more than 256 hashes read; level 0 are the statements' leaves.
struct TreeNode {
  int level = 1;
  std::uint64_t index = 0;
  Hash32 hash{};
};

// The statement now in force for one TPS and ballot.
struct CurrentUpdate {
  std::string tps;
  int ballot = 0;
  std::uint64_t index = 0;
};

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Whether opening a store may create it (`rekap init`), or must find one that `rekap init`
// made and write nothing to anything else (`rekap serve`).
enum class OpenMode { create, existing };

class Store {
 public:
  virtual ~Store() = default;

  // Key/value settings of this election (election id, admin key, ...).
  virtual std::optional<std::string> get_meta(const std::string& key) = 0;
  virtual void put_meta(const std::string& key, const std::string& value) = 0;

  virtual void save_definition(const DefinitionFiles& files) = 0;
  virtual std::optional<DefinitionFiles> load_definition() = 0;

  // Number of statements stored; the next append starts at this index.
  virtual std::uint64_t size() = 0;
  // Appends statements (their indexes must continue the log), the current-result changes and
  // the tree nodes they complete, in one durable transaction. Throws StoreError and stores
  // nothing on failure.
  virtual void append(const std::vector<StoredStatement>& statements,
                      const std::vector<CurrentUpdate>& current,
                      const std::vector<TreeNode>& nodes) = 0;
  // Statements [first, first + count), in order (fewer at the end of the log).
  virtual std::vector<StoredStatement> range(std::uint64_t first, std::uint64_t count) = 0;
  // Hashes at a tile level: the leaves (level 0) or stored tree nodes; throws StoreError if
  // any of [first, first + count) is missing.
  virtual std::vector<Hash32> read_hashes(int level, std::uint64_t first, std::uint64_t count) = 0;
  // Calls fn for every statement with index >= from, in index order.
  virtual void scan(std::uint64_t from, const std::function<void(const StoredStatement&)>& fn) = 0;
  virtual std::optional<StoredStatement> get(std::uint64_t index) = 0;
  // Every statement about one TPS, in index order.
  virtual std::vector<StoredStatement> by_tps(const std::string& tps) = 0;
  // The current statement index per ballot for one TPS.
  virtual std::vector<CurrentUpdate> current_of(const std::string& tps) = 0;

  // Citizens' reports (not statements: not in the log). A prefix selects the TPS whose code
  // starts with it: "" all, a region's code the TPS under it, a TPS's code that TPS.
  // Stores a report and its fields durably; returns its id (from 1, growing). Throws StoreError.
  virtual std::uint64_t add_report(const Report& report) = 0;
  // The newest `limit` reports, newest first.
  virtual std::vector<Report> reports(const std::string& prefix, std::size_t limit) = 0;
  virtual ReportCounts report_counts(const std::string& prefix) = 0;
  // Reports grouped by the first `length` characters of their TPS code, most reports first
  // (then by code); at most `limit` groups, or all for 0.
  virtual std::vector<ReportGroup> report_groups(const std::string& prefix, std::size_t length,
                                                 std::size_t limit) = 0;
};

}  // namespace rekap
