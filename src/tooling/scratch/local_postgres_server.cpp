#include "tooling/scratch/internal/local_postgres_server.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "engine/file_lock.hpp"
#include "strata/error.hpp"

namespace fs = std::filesystem;

namespace strata::detail {

namespace {

const char* const missing_server =
    "no postgres server for the checks: install PostgreSQL's server binaries (Debian: apt-get "
    "install postgresql) so that strata can start a throwaway one";

// Runs a server program to its end, its output appended to `log`. Everything
// is prepared before fork(): between fork and exec a multithreaded process
// may only make async-signal-safe calls. The child gets an empty signal mask,
// whatever the caller blocks (pg_ctl stop signals the server).
int run_program(const std::vector<std::string>& argv, const std::string& log,
                const server_user& user) {
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    sigset_t none;
    sigemptyset(&none);
    const pid_t pid = ::fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        pthread_sigmask(SIG_SETMASK, &none, nullptr);
        if (user.switch_user && (::setgroups(user.groups.size(), user.groups.data()) != 0 ||
                                 ::setgid(user.gid) != 0 || ::setuid(user.uid) != 0))
            ::_exit(126);
        // Opened as the server's user: root never writes through a link it planted.
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0600);
        if (fd >= 0) {
            ::dup2(fd, STDOUT_FILENO);
            ::dup2(fd, STDERR_FILENO);
        }
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
        throw error(error_kind::connection, missing_server, {}, remedy::postgres_server);
    return std::max_element(found.begin(), found.end())->second.string();
}

server_user postgres_user() {
    passwd entry{};
    passwd* result = nullptr;
    std::vector<char> buffer(16384);
    if (::getpwnam_r("postgres", &entry, buffer.data(), buffer.size(), &result) != 0 || !result)
        throw error(error_kind::connection,
                    "strata runs the throwaway postgres server as the user 'postgres' when "
                    "run as root, and there is no such user: create it (Debian's postgresql "
                    "package does)",
                    {}, remedy::postgres_server);
    server_user user{true, entry.pw_uid, entry.pw_gid, {}};
    int count = 64;
    user.groups.resize(static_cast<std::size_t>(count));
    if (::getgrouplist(entry.pw_name, entry.pw_gid, user.groups.data(), &count) < 0) {
        user.groups.resize(static_cast<std::size_t>(count));
        ::getgrouplist(entry.pw_name, entry.pw_gid, user.groups.data(), &count);
    }
    user.groups.resize(static_cast<std::size_t>(count));
    return user;
}

// A directory of `owner`'s: created private, and not a link someone else made.
void own_directory(const fs::path& dir, mode_t mode, uid_t owner = ::geteuid()) {
    if (::mkdir(dir.c_str(), mode) != 0 && errno != EEXIST)
        throw error(error_kind::connection,
                    "cannot create the cache directory '" + dir.string() + "'");
    struct stat info {};
    if (::lstat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode) ||
        (info.st_uid != owner && info.st_uid != ::geteuid()))
        throw error(error_kind::connection,
                    "'" + dir.string() + "' is not a directory of this user; remove it", {},
                    remedy::postgres_server);
}

// The parent of the per-version clusters, created with its parents.
fs::path cache_root(bool as_root) {
    if (as_root) {
        // Not a world-writable place such as /var/tmp: root must not follow
        // links that other users plant there.
        own_directory("/var/lib/strata", 0755);
        return "/var/lib/strata";
    }
    fs::path root;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        root = fs::path(xdg) / "strata";
    else if (const char* home = std::getenv("HOME"); home && *home)
        root = fs::path(home) / ".cache" / "strata";
    else
        root = fs::temp_directory_path() / ("strata-" + std::to_string(::getuid()));
    std::error_code ec;
    fs::create_directories(root.parent_path(), ec);
    own_directory(root, 0700);
    return root;
}

}  // namespace

std::unique_ptr<local_postgres_server> local_postgres_server::start() {
    std::unique_ptr<local_postgres_server> server(new local_postgres_server);
    server->bindir_ = find_bindir();
    const bool root = ::geteuid() == 0;
    if (root)
        server->user_ = postgres_user();
    const std::string major = fs::path(server->bindir_).parent_path().filename().string();
    const fs::path root_dir = cache_root(root);
    const fs::path cache = root_dir / ("postgres-" + major);
    // One strata at a time per cluster: each starts and stops it. The lock
    // file sits beside the cluster, in a directory of the caller's.
    server->lock_ = file_lock::acquire((root_dir / ("postgres-" + major + ".lock")).string(),
                                       std::chrono::minutes(30));
    own_directory(cache, 0700, server->user_.uid);
    if (root && ::chown(cache.c_str(), server->user_.uid, server->user_.gid) != 0)
        throw error(error_kind::connection,
                    "cannot hand '" + cache.string() + "' to the postgres user");
    server->data_ = (cache / "data").string();
    server->log_ = (cache / "server.log").string();
    const std::string pg_ctl = server->bindir_ + "/pg_ctl";
    std::error_code ec;
    if (!fs::exists(fs::path(server->data_) / "PG_VERSION", ec)) {
        fs::remove_all(server->data_, ec);
        if (run_program({server->bindir_ + "/initdb", "-D", server->data_, "-U", "postgres", "-A",
                         "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"},
                        server->log_, server->user_) != 0)
            throw error(error_kind::connection,
                        "initdb failed for the throwaway postgres server; see " + server->log_);
    } else {
        // A strata killed while it ran the server left it running.
        run_program({pg_ctl, "-D", server->data_, "-m", "immediate", "-w", "stop"}, server->log_,
                    server->user_);
    }
    char socket_template[] = "/tmp/strata-pg-XXXXXX";
    if (!::mkdtemp(socket_template))
        throw error(error_kind::connection, "cannot create a socket directory in /tmp");
    server->socket_dir_ = socket_template;
    if (root && ::chown(socket_template, server->user_.uid, server->user_.gid) != 0)
        throw error(error_kind::connection, "cannot hand the socket directory to postgres");
    if (run_program({pg_ctl, "-D", server->data_, "-l", server->log_, "-w", "-t", "60", "-o",
                     "-k " + server->socket_dir_ + " -c listen_addresses= -F -p 5432", "start"},
                    server->log_, server->user_) != 0) {
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
    if (socket_dir_.empty())
        return;
    run_program({bindir_ + "/pg_ctl", "-D", data_, "-m", "fast", "-w", "stop"}, log_, user_);
    std::error_code ec;
    fs::remove_all(socket_dir_, ec);
    socket_dir_.clear();
}

}  // namespace strata::detail
