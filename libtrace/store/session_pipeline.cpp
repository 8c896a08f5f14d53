#include "store/session_pipeline.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace natfw {

namespace {

/// Blocks read and decoded ahead of the merge (about 300 KB each, decoded).
/// Decoding is done by the reading thread, not by the builder: with it, the
/// builder was the slower side and the reading thread waited for it about
/// half of the time. Four ahead were as fast as sixteen on the bench's log
/// and held 5 MB less.
constexpr std::size_t k_blocks_ahead = 4;
/// Sessions handed over at once: one lock per batch, not per session.
constexpr std::size_t k_sessions_per_handover = 512;

struct Shared {
    std::mutex m;
    std::condition_variable cv;
    std::deque<DecodedBlock> blocks;
    bool no_more_blocks = false;
    std::vector<Session> sessions;
    bool built = false;
    std::exception_ptr error;
};

} // namespace

void build_sessions_on_two_threads(const std::function<bool(DecodedBlock&)>& next_block,
                                   std::vector<SourcedEvent> held, const std::function<void(Session&&)>& write)
{
    Shared sh;
    std::thread builder_thread([&sh, held = std::move(held)]() mutable {
        try {
            std::vector<Session> out;
            out.reserve(k_sessions_per_handover);
            auto hand_over = [&] {
                std::lock_guard lock(sh.m);
                // Most often the writer has taken the last batch: the vectors swap, no session moves.
                if (sh.sessions.empty())
                    sh.sessions.swap(out);
                else
                    for (auto& s : out)
                        sh.sessions.push_back(std::move(s));
                sh.cv.notify_all();
                out.clear();
                out.reserve(k_sessions_per_handover);
            };
            SessionBuilder builder([&](Session&& s) {
                out.push_back(std::move(s));
                if (out.size() == k_sessions_per_handover)
                    hand_over();
            });
            auto take_block = [&](DecodedBlock& b) {
                std::unique_lock lock(sh.m);
                sh.cv.wait(lock, [&] { return !sh.blocks.empty() || sh.no_more_blocks; });
                if (sh.blocks.empty())
                    return false;
                b = std::move(sh.blocks.front());
                sh.blocks.pop_front();
                sh.cv.notify_all();
                return true;
            };
            merge_events(take_block, std::move(held), [&](SourcedEvent&& e) { builder.add(std::move(e)); });
            builder.finish();
            hand_over();
        } catch (...) {
            std::lock_guard lock(sh.m);
            sh.error = std::current_exception();
        }
        std::lock_guard lock(sh.m);
        sh.built = true;
        sh.cv.notify_all();
    });
    // Whatever happens here, the builder is told to stop and is joined.
    struct Join {
        Shared& sh;
        std::thread& t;
        ~Join()
        {
            {
                std::lock_guard lock(sh.m);
                sh.no_more_blocks = true;
                sh.cv.notify_all();
            }
            t.join();
        }
    } join{sh, builder_thread};

    bool more = true;
    while (true) {
        std::vector<Session> got;
        bool read_ahead = false;
        {
            std::unique_lock lock(sh.m);
            sh.cv.wait(lock, [&] {
                return !sh.sessions.empty() || sh.built || (more && sh.blocks.size() < k_blocks_ahead);
            });
            if (sh.error)
                break;
            got.swap(sh.sessions);
            read_ahead = more && sh.blocks.size() < k_blocks_ahead;
            if (got.empty() && !read_ahead && sh.built)
                break;
        }
        for (auto& s : got)
            write(std::move(s));
        if (read_ahead) {
            DecodedBlock b;
            more = next_block(b);
            std::lock_guard lock(sh.m);
            if (more)
                sh.blocks.push_back(std::move(b));
            else
                sh.no_more_blocks = true;
            sh.cv.notify_all();
        }
    }
    std::exception_ptr error;
    {
        std::lock_guard lock(sh.m);
        error = sh.error;
    }
    if (error)
        std::rethrow_exception(error);
}

} // namespace natfw
