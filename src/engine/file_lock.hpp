// An exclusive advisory lock on a file (flock), released on destruction or
// when the process dies.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "strata/database.hpp"

namespace strata::detail {

class file_lock final : public migration_lock {
  public:
    // Creates `path` if needed and waits up to `timeout` for the lock.
    // Throws strata::error (connection) on timeout.
    static std::unique_ptr<file_lock> acquire(const std::string& path,
                                              std::chrono::milliseconds timeout);
    ~file_lock() override;

    file_lock(const file_lock&) = delete;
    file_lock& operator=(const file_lock&) = delete;

  private:
    explicit file_lock(int fd) : fd_(fd) {}
    int fd_;
};

}  // namespace strata::detail
