#include "index/log_read_ahead.hpp"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace natfw {

namespace {

/// Events handed over at once: one lock per batch, not per event.
constexpr std::size_t k_events_per_handover = 1024;

/// Events in slots that are assigned, not rebuilt, from batch to batch; what
/// allocating their texts costs falls on the reading thread, which waits for
/// the storing one.
struct Batch {
    std::vector<ConnectionEvent> events;
    std::size_t size = 0;
};

/// Thrown inside the reader when the storing side has stopped: it unwinds
/// read_connection_log() and is never seen outside.
struct Stopped {};

struct Shared {
    std::mutex m;
    std::condition_variable cv;
    Batch ready;            ///< handed over, not yet taken (size 0: none)
    bool done = false;      ///< the reader has finished (or failed)
    bool stopped = false;   ///< the storing side has failed: stop reading
    std::exception_ptr error;
    LogReadResult result;
};

} // namespace

LogReadResult read_connection_log_ahead(int fd, const std::string& name, const LogReadOptions& options,
                                        const std::function<void(ConnectionEvent&&)>& on_event)
{
    Shared sh;
    std::thread reader([&sh, fd, &name, &options] {
        Batch filling;
        auto hand_over = [&] {
            std::unique_lock lock(sh.m);
            sh.cv.wait(lock, [&] { return sh.ready.size == 0 || sh.stopped; });
            if (sh.stopped)
                throw Stopped{};
            std::swap(sh.ready, filling);
            filling.size = 0;
            sh.cv.notify_all();
        };
        try {
            auto result = read_connection_log(fd, name, options, [&](const ConnectionEvent& e) {
                if (filling.size == filling.events.size())
                    filling.events.push_back(e);
                else
                    filling.events[filling.size] = e;
                if (++filling.size == k_events_per_handover)
                    hand_over();
            });
            if (filling.size > 0)
                hand_over();
            std::lock_guard lock(sh.m);
            sh.result = std::move(result);
        } catch (const Stopped&) {
        } catch (...) {
            std::lock_guard lock(sh.m);
            sh.error = std::current_exception();
        }
        std::lock_guard lock(sh.m);
        sh.done = true;
        sh.cv.notify_all();
    });
    // Whatever happens here, the reader is told to stop and is joined.
    struct Join {
        Shared& sh;
        std::thread& t;
        ~Join()
        {
            {
                std::lock_guard lock(sh.m);
                sh.stopped = true;
                sh.cv.notify_all();
            }
            t.join();
        }
    } join{sh, reader};

    Batch taken;
    while (true) {
        {
            std::unique_lock lock(sh.m);
            sh.cv.wait(lock, [&] { return sh.ready.size > 0 || sh.done; });
            if (sh.ready.size == 0)
                break; // done, and everything handed over was stored
            std::swap(taken, sh.ready);
            sh.ready.size = 0;
            sh.cv.notify_all();
        }
        for (std::size_t i = 0; i < taken.size; ++i)
            on_event(std::move(taken.events[i])); // the slot is assigned again, its texts anew
    }
    std::lock_guard lock(sh.m);
    if (sh.error)
        std::rethrow_exception(sh.error);
    return std::move(sh.result);
}

} // namespace natfw
