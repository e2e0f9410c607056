#include "local_postgres_server.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "file_lock.hpp"
#include "strata/error.hpp"

namespace fs = std::filesystem;

namespace strata::detail {

namespace {

const char* const missing_server =
    "no postgres server for the checks: pass --postgres-url (or set STRATA_POSTGRES_URL), or "
    "install PostgreSQL's server binaries (Debian: apt-get install postgresql) so that strata "
    "can start a throwaway one";

// The server's own output goes to `log`; children get an empty signal mask,
// whatever the caller blocks (pg_ctl stop signals the server).
int run_program(const std::vector<std::string>& argv, const std::string& log,
                const passwd* as_user) {
    const pid_t pid = ::fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        pthread_sigmask(SIG_SETMASK, &none, nullptr);
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            ::dup2(fd, STDOUT_FILENO);
            ::dup2(fd, STDERR_FILENO);
        }
        if (as_user && (::initgroups(as_user->pw_name, as_user->pw_gid) != 0 ||
                        ::setgid(as_user->pw_gid) != 0 || ::setuid(as_user->pw_uid) != 0))
            ::_exit(126);
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool has_server(const fs::path& bindir) {
    std::error_code ec;
    return fs::exists(bindir / "initdb", ec) && fs::exists(bindir / "pg_ctl", ec);
}

// `pg_config --bindir` first (the PATH's PostgreSQL), then Debian's newest.
std::string find_bindir() {
    if (FILE* p = ::popen("pg_config --bindir 2>/dev/null", "r")) {
        char buffer[4096] = {};
        const bool read = std::fgets(buffer, sizeof buffer, p) != nullptr;
        ::pclose(p);
        std::string dir = read ? buffer : "";
        while (!dir.empty() && (dir.back() == '\n' || dir.back() == '\r'))
            dir.pop_back();
        if (!dir.empty() && has_server(dir))
            return dir;
    }
    std::vector<std::pair<int, fs::path>> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
        const std::string name = entry.path().filename().string();
        if (has_server(entry.path() / "bin") &&
            name.find_first_not_of("0123456789") == std::string::npos)
            found.emplace_back(std::stoi(name), entry.path() / "bin");
    }
    if (found.empty())
        throw error(error_kind::connection, missing_server);
    return std::max_element(found.begin(), found.end())->second.string();
}

fs::path cache_root(bool as_root) {
    if (as_root)
        return "/var/tmp/strata";  // root's home is out of the postgres user's reach
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return fs::path(xdg) / "strata";
    if (const char* home = std::getenv("HOME"); home && *home)
        return fs::path(home) / ".cache" / "strata";
    return fs::temp_directory_path() / ("strata-" + std::to_string(::getuid()));
}

void give_to(const fs::path& path, const passwd* user) {
    if (user && ::chown(path.c_str(), user->pw_uid, user->pw_gid) != 0)
        throw error(error_kind::connection,
                    "cannot hand '" + path.string() + "' to the postgres user");
}

}  // namespace

std::unique_ptr<local_postgres_server> local_postgres_server::start() {
    std::unique_ptr<local_postgres_server> server(new local_postgres_server);
    server->bindir_ = find_bindir();
    const bool root = ::geteuid() == 0;
    const passwd* postgres = nullptr;
    if (root) {
        postgres = ::getpwnam("postgres");
        if (!postgres)
            throw error(error_kind::connection,
                        "strata runs the throwaway postgres server as the user 'postgres' when "
                        "run as root, and there is no such user: create it (Debian's postgresql "
                        "package does) or pass --postgres-url");
    }
    server->as_postgres_ = root;
    const std::string major = fs::path(server->bindir_).parent_path().filename().string();
    const fs::path cache = cache_root(root) / ("postgres-" + major);
    std::error_code ec;
    fs::create_directories(cache, ec);
    if (ec)
        throw error(error_kind::connection,
                    "cannot create the cache directory '" + cache.string() + "': " + ec.message());
    give_to(cache, postgres);
    // One strata at a time per cluster: each starts and stops it.
    server->lock_ = file_lock::acquire((cache / "lock").string(), std::chrono::minutes(30));
    server->data_ = (cache / "data").string();
    server->log_ = (cache / "server.log").string();
    std::ofstream(server->log_, std::ios::trunc).close();
    give_to(server->log_, postgres);
    const std::string pg_ctl = server->bindir_ + "/pg_ctl";
    if (!fs::exists(fs::path(server->data_) / "PG_VERSION", ec)) {
        fs::remove_all(server->data_, ec);
        if (run_program({server->bindir_ + "/initdb", "-D", server->data_, "-U", "postgres", "-A",
                         "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"},
                        server->log_, postgres) != 0)
            throw error(error_kind::connection,
                        "initdb failed for the throwaway postgres server; see " + server->log_);
    } else {
        // A strata killed while it ran the server left it running.
        run_program({pg_ctl, "-D", server->data_, "-m", "immediate", "-w", "stop"}, server->log_,
                    postgres);
    }
    char socket_template[] = "/tmp/strata-pg-XXXXXX";
    if (!::mkdtemp(socket_template))
        throw error(error_kind::connection, "cannot create a socket directory in /tmp");
    server->socket_dir_ = socket_template;
    give_to(server->socket_dir_, postgres);
    if (run_program({pg_ctl, "-D", server->data_, "-l", server->log_, "-w", "-t", "60", "-o",
                     "-k " + server->socket_dir_ + " -c listen_addresses= -F -p 5432", "start"},
                    server->log_, postgres) != 0) {
        server->stop();
        throw error(error_kind::connection,
                    "the throwaway postgres server did not start; see " + server->log_);
    }
    server->url_ = "postgres://postgres@/postgres?host=" + server->socket_dir_ + "&port=5432";
    return server;
}

local_postgres_server::~local_postgres_server() {
    stop();
}

void local_postgres_server::stop() noexcept {
    const passwd* postgres = as_postgres_ ? ::getpwnam("postgres") : nullptr;
    if (!socket_dir_.empty()) {
        run_program({bindir_ + "/pg_ctl", "-D", data_, "-m", "fast", "-w", "stop"}, log_, postgres);
        std::error_code ec;
        fs::remove_all(socket_dir_, ec);
        socket_dir_.clear();
    }
}

}  // namespace strata::detail
