#pragma once
// One election's server state, opened from a data directory: the store, the photos, and the
// ledger and totals rebuilt from the stored statements.
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>

#include "core/definition.hpp"
#include "core/ledger.hpp"
#include "server/sequencer.hpp"
#include "store/image_store.hpp"
#include "store/store.hpp"
#include "tally/tally.hpp"

namespace rekap::server {

// Creates a data directory for an election: the store with the definition and the admin key.
// Refuses a directory that already holds an election, and a broken definition, before anything
// is written; `admin_key` is asked for only then.
void init_data_dir(const std::string& dir, const DefinitionFiles& files,
                   const std::function<PublicKey()>& admin_key);

class App {
 public:
  explicit App(const std::string& data_dir);
  ~App();

  const Definition& def() const { return *def_; }
  Store& store() { return *store_; }
  const ImageStore& images() const { return *images_; }
  ImageStore& images() { return *images_; }
  Sequencer& sequencer() { return *sequencer_; }
  // Readers of the totals hold this shared; the sequencer holds it exclusively to update them.
  std::shared_mutex& tally_lock() { return tally_lock_; }
  const Tally& tally() const { return *tally_; }
  const std::string& definition_hash() const { return definition_hash_; }

 private:
  void rebuild();

  std::unique_ptr<Store> store_;
  std::unique_ptr<ImageStore> images_;
  std::unique_ptr<Definition> def_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Tally> tally_;
  std::shared_mutex tally_lock_;
  std::unique_ptr<Sequencer> sequencer_;
  std::string definition_hash_;
};

}  // namespace rekap::server
