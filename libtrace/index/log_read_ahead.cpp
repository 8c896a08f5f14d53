#include "index/log_read_ahead.hpp"

#include "util/ordered_pipeline.hpp"

#include <exception>
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

} // namespace

LogReadResult read_connection_log_ahead(int fd, const std::string& name, const LogReadOptions& options,
                                        const std::function<void(ConnectionEvent&&)>& on_event)
{
    // Two batches go round: the reader fills one while this thread stores the
    // other. nullptr in `filled`: the reader has finished; in `emptied`: stop.
    Batch batches[2];
    HandOff<Batch> filled, emptied;
    emptied.push(&batches[0]);
    emptied.push(&batches[1]);
    LogReadResult result;
    std::exception_ptr error; // both written before the reader's nullptr, read after it
    std::thread reader([&] {
        try {
            Batch* filling = emptied.pop();
            result = read_connection_log(fd, name, options, [&](const ConnectionEvent& e) {
                if (filling->size == filling->events.size())
                    filling->events.push_back(e);
                else
                    filling->events[filling->size] = e;
                if (++filling->size < k_events_per_handover)
                    return;
                filled.push(filling);
                filling = emptied.pop();
                if (!filling)
                    throw Stopped{};
            });
            if (filling->size > 0)
                filled.push(filling);
        } catch (const Stopped&) {
        } catch (...) {
            error = std::current_exception();
        }
        filled.push(nullptr);
    });
    // Whatever happens here, the reader is told to stop and is joined.
    struct Join {
        HandOff<Batch>& emptied;
        std::thread& t;
        ~Join()
        {
            emptied.push(nullptr);
            t.join();
        }
    } join{emptied, reader};

    while (Batch* b = filled.pop()) {
        for (std::size_t i = 0; i < b->size; ++i)
            on_event(std::move(b->events[i])); // the slot is assigned again, its texts anew
        b->size = 0;
        emptied.push(b);
    }
    if (error)
        std::rethrow_exception(error);
    return result;
}

} // namespace natfw
