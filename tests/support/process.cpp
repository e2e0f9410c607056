#include "process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace fs = std::filesystem;

namespace strata::test {

namespace {

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

// An unlinked temporary file, open for reading and writing; close-on-exec.
int anonymous_file() {
    std::string name = (fs::temp_directory_path() / "strata-output-XXXXXX").string();
    const int fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0)
        fail("cannot create a temporary file in " + fs::temp_directory_path().string());
    ::unlink(name.c_str());
    return fd;
}

std::string read_all(int fd) {
    std::string text;
    char buffer[65536];
    off_t offset = 0;
    for (;;) {
        const ssize_t n = ::pread(fd, buffer, sizeof buffer, offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail("cannot read captured output");
        if (n == 0)
            break;
        text.append(buffer, static_cast<std::size_t>(n));
        offset += n;
    }
    return text;
}

void close_fd(int& fd) {
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

// Everything the child needs, prepared before fork: between fork and exec the
// child calls only async-signal-safe functions.
struct prepared {
    std::vector<std::string> env_strings;
    std::vector<char*> argv;
    std::vector<char*> envp;
    std::string cwd;
};

prepared prepare(const process_spec& spec) {
    if (spec.argv.empty())
        throw std::invalid_argument("process_spec: empty argv");
    prepared p;
    std::map<std::string, std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry = *e;
        const auto eq = entry.find('=');
        if (eq != std::string::npos)
            env[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
    for (const auto& [name, value] : spec.env) {
        if (value)
            env[name] = *value;
        else
            env.erase(name);
    }
    for (const auto& [name, value] : env)
        p.env_strings.push_back(name + "=" + value);
    for (const auto& arg : spec.argv)
        p.argv.push_back(const_cast<char*>(arg.c_str()));
    p.argv.push_back(nullptr);
    for (auto& entry : p.env_strings)
        p.envp.push_back(entry.data());
    p.envp.push_back(nullptr);
    p.cwd = spec.cwd.string();
    return p;
}

[[noreturn]] void child_failed(int report_fd, int code) {
    const int saved = errno;
    [[maybe_unused]] ssize_t ignored = ::write(report_fd, &code, sizeof code);
    ignored = ::write(report_fd, &saved, sizeof saved);
    ::_exit(127);
}

// Child side of the fork; never returns.
[[noreturn]] void exec_child(const prepared& p, int gate_read, int gate_write, int out_fd,
                             int err_fd, int report_fd) {
    ::close(gate_write);  // else the gate never reports end-of-file
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd < 0 || ::dup2(null_fd, STDIN_FILENO) < 0 || ::dup2(out_fd, STDOUT_FILENO) < 0 ||
        ::dup2(err_fd, STDERR_FILENO) < 0)
        child_failed(report_fd, 1);
    if (!p.cwd.empty() && ::chdir(p.cwd.c_str()) != 0)
        child_failed(report_fd, 2);
    char c;
    while (::read(gate_read, &c, 1) < 0 && errno == EINTR) {
    }
    ::execve(p.argv[0], p.argv.data(), p.envp.data());
    child_failed(report_fd, 3);
}

}  // namespace

std::string process_result::describe() const {
    std::ostringstream text;
    if (timed_out)
        text << "timed out and killed";
    else if (signal != 0)
        text << "killed by signal " << signal;
    else
        text << "exit " << exit_code;
    text << "\n--- stdout ---\n" << out << "--- stderr ---\n" << err << "--------------";
    return text.str();
}

running_process::running_process(pid_t pid, int out_fd, int err_fd,
                                 std::chrono::milliseconds timeout)
    : pid_(pid), out_fd_(out_fd), err_fd_(err_fd), timeout_(timeout) {}

running_process::running_process(running_process&& other) noexcept
    : pid_(other.pid_), out_fd_(other.out_fd_), err_fd_(other.err_fd_), timeout_(other.timeout_) {
    other.pid_ = -1;
    other.out_fd_ = -1;
    other.err_fd_ = -1;
}

running_process::~running_process() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
    }
    close_fd(out_fd_);
    close_fd(err_fd_);
}

process_result running_process::wait() {
    if (pid_ <= 0)
        throw std::logic_error("running_process::wait: already waited for");
    process_result result;
    const auto deadline = std::chrono::steady_clock::now() + timeout_;
    auto pause = std::chrono::microseconds(200);
    int status = 0;
    for (;;) {
        const pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_)
            break;
        if (done < 0 && errno != EINTR)
            fail("waitpid");
        if (std::chrono::steady_clock::now() >= deadline) {
            ::kill(pid_, SIGKILL);
            while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
            }
            result.timed_out = true;
            break;
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(10000));
    }
    pid_ = -1;
    if (WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.signal = WTERMSIG(status);
    }
    result.out = read_all(out_fd_);
    result.err = read_all(err_fd_);
    close_fd(out_fd_);
    close_fd(err_fd_);
    return result;
}

std::vector<running_process> start_processes(const std::vector<process_spec>& specs) {
    std::vector<prepared> plans;
    plans.reserve(specs.size());
    for (const auto& spec : specs)
        plans.push_back(prepare(spec));

    int gate[2];
    if (::pipe2(gate, O_CLOEXEC) != 0)
        fail("pipe2");
    std::vector<running_process> started;
    std::vector<int> reports;
    auto cleanup = [&] {
        ::close(gate[0]);
        if (gate[1] >= 0)
            ::close(gate[1]);
        for (int fd : reports)
            ::close(fd);
    };
    try {
        for (std::size_t i = 0; i < specs.size(); ++i) {
            int out_fd = anonymous_file();
            int err_fd = anonymous_file();
            int report[2];
            if (::pipe2(report, O_CLOEXEC) != 0) {
                close_fd(out_fd);
                close_fd(err_fd);
                fail("pipe2");
            }
            const pid_t pid = ::fork();
            if (pid < 0) {
                close_fd(out_fd);
                close_fd(err_fd);
                ::close(report[0]);
                ::close(report[1]);
                fail("fork");
            }
            if (pid == 0)
                exec_child(plans[i], gate[0], gate[1], out_fd, err_fd, report[1]);
            ::close(report[1]);
            reports.push_back(report[0]);
            started.push_back(running_process(pid, out_fd, err_fd, specs[i].timeout));
        }
        // Open the gate: every child sees end-of-file and execs.
        ::close(gate[1]);
        gate[1] = -1;
        for (std::size_t i = 0; i < reports.size(); ++i) {
            int what[2] = {0, 0};
            ssize_t n;
            while ((n = ::read(reports[i], what, sizeof what)) < 0 && errno == EINTR) {
            }
            if (n > 0) {
                static const char* const steps[] = {"", "redirect output of", "chdir for", "exec"};
                errno = what[1];
                fail(std::string("cannot ") + steps[what[0] & 3] + " '" + specs[i].argv[0] + "'" +
                     (specs[i].cwd.empty() ? "" : " in '" + specs[i].cwd.string() + "'"));
            }
        }
    } catch (...) {
        cleanup();
        throw;  // `started` kills and reaps whatever did start
    }
    cleanup();
    return started;
}

process_result run_process(const process_spec& spec) {
    auto started = start_processes({spec});
    return started.front().wait();
}

std::vector<process_result> run_processes(const std::vector<process_spec>& specs) {
    auto started = start_processes(specs);
    std::vector<process_result> results;
    results.reserve(started.size());
    for (auto& process : started)
        results.push_back(process.wait());
    return results;
}

scratch_directory::scratch_directory(const std::string& prefix) {
    std::string pattern = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr)
        fail("cannot create a directory like " + pattern);
    path_ = fs::canonical(pattern);
}

scratch_directory::~scratch_directory() {
    if (std::getenv("STRATA_TEST_KEEP") != nullptr)
        return;
    std::error_code ec;
    fs::remove_all(path_, ec);
}

void write_file(const fs::path& path, const std::string& content) {
    if (path.has_parent_path())
        fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    if (!out)
        throw std::runtime_error("cannot write " + path.string());
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string to_crlf(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '\n')
            out.push_back('\r');
        out.push_back(c);
    }
    return out;
}

}  // namespace strata::test
