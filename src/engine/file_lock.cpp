#include "engine/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "strata/error.hpp"

namespace strata::detail {

std::unique_ptr<file_lock> file_lock::acquire(const std::string& path,
                                              std::chrono::milliseconds timeout) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        throw error(error_kind::connection,
                    "cannot open lock file '" + path + "': " + std::strerror(errno));
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto pause = std::chrono::milliseconds(2);
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            const int saved = errno;
            ::close(fd);
            throw error(error_kind::connection,
                        "cannot lock '" + path + "': " + std::strerror(saved));
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            ::close(fd);
            throw error(error_kind::connection,
                        "timed out after " + std::to_string(timeout.count()) +
                            " ms waiting for another migration run to release '" + path + "'",
                        {}, remedy::lock_timeout);
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(50));
    }
    return std::unique_ptr<file_lock>(new file_lock(fd));
}

file_lock::~file_lock() {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
}

}  // namespace strata::detail
