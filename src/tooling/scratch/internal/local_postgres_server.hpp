// A throwaway PostgreSQL server for the build-time checks, so they work in a
// build without any infrastructure: PostgreSQL's server binaries (Debian's
// postgresql package) are enough.
//
// The cluster lives in a cache directory and is initialised on first use.
// Each run starts it on a private Unix socket (no TCP), uses it and stops it;
// a lock file serialises the strata processes sharing the cache. As root the
// server runs as the `postgres` user, from /var/lib/strata.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "strata/database.hpp"

namespace strata::detail {

// Who the server's programs run as: the caller, or (as root) `postgres`.
struct server_user {
    bool switch_user = false;
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups;
};

class local_postgres_server {
  public:
    // Throws strata::error (connection) saying what is missing when no server
    // binaries are installed or the server cannot start.
    static std::unique_ptr<local_postgres_server> start();
    ~local_postgres_server();

    local_postgres_server(const local_postgres_server&) = delete;
    local_postgres_server& operator=(const local_postgres_server&) = delete;

    const std::string& url() const { return url_; }

  private:
    local_postgres_server() = default;
    void stop() noexcept;

    std::unique_ptr<migration_lock> lock_;
    server_user user_;
    std::string bindir_;
    std::string data_;
    std::string socket_dir_;
    std::string log_;
    std::string url_;
};

}  // namespace strata::detail
