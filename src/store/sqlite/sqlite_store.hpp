#pragma once
// The embedded store: one SQLite file in WAL mode. One write connection serialises writes; a small
// pool of read connections serves concurrent readers, which WAL lets run beside the writer.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace rekap {

class SqliteStore : public Store {
 public:
  // Opens the database at path, creating the file and schema if missing. Throws StoreError.
  static std::unique_ptr<SqliteStore> open(const std::string& path);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  std::optional<std::string> get_meta(const std::string& key) override;
  void put_meta(const std::string& key, const std::string& value) override;

  void save_definition(const DefinitionFiles& files) override;
  std::optional<DefinitionFiles> load_definition() override;

  std::uint64_t size() override;
  void append(const std::vector<StoredStatement>& statements,
              const std::vector<CurrentUpdate>& current,
              const std::vector<TreeNode>& nodes) override;
  std::vector<StoredStatement> range(std::uint64_t first, std::uint64_t count) override;
  std::vector<Hash32> read_hashes(int level, std::uint64_t first, std::uint64_t count) override;
  // Streams in batches, releasing the connection between them, so fn may call back into the
  // store. Stops at the size the log had when the scan began.
  void scan(std::uint64_t from, const std::function<void(const StoredStatement&)>& fn) override;
  std::optional<StoredStatement> get(std::uint64_t index) override;
  std::vector<StoredStatement> by_tps(const std::string& tps) override;
  std::vector<CurrentUpdate> current_of(const std::string& tps) override;
  std::uint64_t add_report(const Report& report) override;
  std::vector<Report> reports(const std::string& prefix, std::size_t limit) override;
  ReportCounts report_counts(const std::string& prefix) override;
  std::vector<ReportGroup> report_groups(const std::string& prefix, std::size_t length,
                                         std::size_t limit) override;

 private:
  struct Writer;
  struct Reader;

  explicit SqliteStore(std::string path);
  // Locks a free read connection (or waits for one) and returns it.
  Reader& reader(std::unique_lock<std::mutex>& lock);

  std::string path_;
  std::unique_ptr<Writer> writer_;
  std::vector<std::unique_ptr<Reader>> readers_;
  std::atomic<std::size_t> next_reader_{0};
  // Statements stored; only the writer changes it, after its transaction commits.
  std::atomic<std::uint64_t> size_{0};
};

}  // namespace rekap
