#include "store/postgres/postgres_images.hpp"

#include "crypto/sha256.hpp"
#include "store/postgres/pool.hpp"
#include "store/postgres/schema.hpp"

namespace rekap {
namespace {

// Officers upload photos side by side; each upload waits for its commit.
constexpr std::size_t kConnections = 4;

std::vector<pg::Prepared> statements() {
  return {
      {"image_exists", "SELECT 1 FROM images WHERE hash = $1"},
      {"image_read", "SELECT bytes FROM images WHERE hash = $1"},
      {"image_put", "INSERT INTO images(hash, bytes) VALUES($1, $2) ON CONFLICT (hash) DO NOTHING"},
  };
}

}  // namespace

PostgresImages::PostgresImages(std::unique_ptr<pg::Pool> pool) : pool_(std::move(pool)) {}

PostgresImages::~PostgresImages() = default;

std::unique_ptr<PostgresImages> PostgresImages::open(const std::string& conninfo, OpenMode mode) {
  const std::string label = pg::describe(conninfo);
  {
    pg::Connection schema(conninfo, label, "", {});
    pg::prepare_schema(schema, mode);
  }
  return std::unique_ptr<PostgresImages>(new PostgresImages(std::make_unique<pg::Pool>(
      conninfo, label, "SET synchronous_commit = on", statements(), kConnections)));
}

bool PostgresImages::exists(const Hash32& hash) const {
  return pool_->run([&](pg::Connection& c) {
    pg::Result r = c.query("image_exists", pg::Params().bytes(hash), "look for a photo");
    return PQntuples(r.get()) > 0;
  });
}

void PostgresImages::put(const Hash32& expected, std::string_view bytes) {
  const Hash32 actual = sha256(bytes);
  if (actual != expected) throw ImageHashMismatch(expected, actual);
  // Storing the same photo twice changes nothing, so a retry after a lost session is safe.
  pool_->run([&](pg::Connection& c) {
    c.query("image_put", pg::Params().bytes(expected).bytes(bytes), "store a photo");
  });
}

std::optional<std::string> PostgresImages::read(const Hash32& hash) const {
  return pool_->run([&](pg::Connection& c) -> std::optional<std::string> {
    pg::Result r = c.query("image_read", pg::Params().bytes(hash), "read a photo");
    if (PQntuples(r.get()) == 0) return std::nullopt;
    return std::string(pg::bytes(r.get(), 0, 0));
  });
}

}  // namespace rekap
