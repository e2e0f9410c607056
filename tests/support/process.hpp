// Running real programs from tests: argv, extra environment, working
// directory; exit code, stdout and stderr captured. Plus a scratch directory
// per test and small file helpers.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace strata::test {

// What to run. argv[0] is the program (a path; PATH is not searched).
struct process_spec {
    std::vector<std::string> argv;
    // Changes to the inherited environment: a value sets the variable,
    // std::nullopt removes it.
    std::map<std::string, std::optional<std::string>> env;
    std::filesystem::path cwd;                                     // empty: the current directory
    std::chrono::milliseconds timeout{std::chrono::seconds(120)};  // then SIGKILL
};

struct process_result {
    int exit_code = -1;  // the exit status; -1 when killed by a signal
    int signal = 0;      // the signal that ended the process, 0 when it exited
    bool timed_out = false;
    std::string out;  // stdout
    std::string err;  // stderr

    // stdout + stderr, for checks that look at everything the user sees.
    std::string all_output() const { return out + err; }
    // "exit 1, stdout: ..., stderr: ...": for assertion messages.
    std::string describe() const;
};

// A started process. Output goes to unlinked temporary files, so no pipe can
// fill up and block it, however many run at once.
class running_process {
  public:
    running_process(running_process&& other) noexcept;
    running_process& operator=(running_process&&) = delete;
    running_process(const running_process&) = delete;
    running_process& operator=(const running_process&) = delete;
    ~running_process();  // kills and reaps a process nobody waited for

    pid_t pid() const { return pid_; }
    // Waits for the end (killing it at the spec's timeout) and collects output.
    process_result wait();

  private:
    friend std::vector<running_process> start_processes(const std::vector<process_spec>&);
    running_process(pid_t pid, int out_fd, int err_fd, std::chrono::milliseconds timeout);

    pid_t pid_ = -1;
    int out_fd_ = -1;
    int err_fd_ = -1;
    std::chrono::milliseconds timeout_;
};

// Starts one process per spec. The children are all forked first and held at
// a gate just before exec; the gate opens for all of them at once, so they
// start as nearly simultaneously as the machine allows. Throws
// std::runtime_error when a program cannot be started (exec failure included).
std::vector<running_process> start_processes(const std::vector<process_spec>& specs);

// Runs one program to completion.
process_result run_process(const process_spec& spec);

// Starts all at once (see start_processes) and waits for every one.
std::vector<process_result> run_processes(const std::vector<process_spec>& specs);

// A fresh, uniquely named directory under the system temp directory, removed
// with its content on destruction (unless STRATA_TEST_KEEP is set).
class scratch_directory {
  public:
    explicit scratch_directory(const std::string& prefix = "strata-test");
    ~scratch_directory();
    scratch_directory(const scratch_directory&) = delete;
    scratch_directory& operator=(const scratch_directory&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::filesystem::path& relative) const {
        return path_ / relative;
    }

  private:
    std::filesystem::path path_;
};

// Writes `content` byte for byte, creating parent directories.
void write_file(const std::filesystem::path& path, const std::string& content);
// The whole file, byte for byte; throws when it cannot be read.
std::string read_file(const std::filesystem::path& path);
// The same text with every "\n" turned into "\r\n".
std::string to_crlf(const std::string& text);

}  // namespace strata::test
