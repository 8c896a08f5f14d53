// natfw-generate: write the next traceable-NAT ruleset snapshot, reload, re-index
// (see README, "natfw-generate").
#include "../cli_common.hpp"
#include "generate/generate_run.hpp"

#include <ctime>
#include <iostream>

int main(int argc, char** argv)
{
    using namespace natfw;
    CLI::App app{"Write the next traceable-NAT ruleset (one port block per VPN client address) as a new snapshot\n"
                 "rules.v4.<unix-seconds>, point the rules.v4 symlink at it, reload the firewall and update the index.",
                 "natfw-generate"};
    app.footer("NETWORK is a client network in CIDR form (its first host is the gateway), or CIDR:N for a profile\n"
               "range split into N equal process networks.\n"
               "Exit status: 0 written, or nothing to do (only the date comment would change); 1 refused or\n"
               "failed (the message says why; nothing half-done is left in force); 2 usage error.");
    std::string db_path;
    GenerateOptions o;
    std::string reload = *o.reload;
    bool no_reload = false;
    bool no_index = false;
    std::optional<std::int64_t> stamp;
    std::string link = o.link.string();
    std::int64_t lock_timeout = o.lock_timeout.count();
    cli::add_common_options(app, db_path, "natfw-generate");
    app.set_config("--config", "", "read options from this file (key = value lines, see README)");
    // A misspelt key (relaod = ...) must not leave the default in force unnoticed.
    app.allow_config_extras(CLI::config_extras_mode::error);
    app.add_option("--public-ip", o.public_ip, "the public IPv4 address the clients are NATed to")->required();
    std::vector<std::string> arg_networks;
    app.add_option("--network", o.networks, "a client network, repeatable (the config file's form of NETWORK)");
    app.add_flag("-n,--dry-run", o.dry_run, "print the ruleset to stdout and touch nothing");
    app.add_option("--time", stamp, "UNIX seconds to stamp the snapshot with (default: now)");
    std::string format = "iptables";
    app.add_option("--format", format, "iptables: a rules.v4 snapshot; nft: a natfw table to include from "
                                       "/etc/nftables.conf, recorded as the ruleset nft then lists")
        ->check(CLI::IsMember({"iptables", "nft"}))
        ->capture_default_str();
    auto* write_opt = app.add_option("-w,--write", link,
                                     "the symlink; the snapshot goes beside it as FILE.<unix-seconds> (with --format "
                                     "nft: the table file, default " +
                                         std::string(k_default_nft_file) + ")")
                          ->capture_default_str();
    auto* reload_opt = app.add_option("--reload", reload, "command that loads the new ruleset (split on spaces, "
                                                          "run without a shell; with --format nft: nft -f FILE)")
                           ->capture_default_str();
    app.add_option("--list", o.list, "with --format nft: the command that prints the whole ruleset after the reload")
        ->capture_default_str();
    app.add_flag("--no-reload", no_reload, "do not reload the firewall")->excludes(reload_opt);
    app.add_flag("--no-index", no_index, "do not update the index");
    app.add_flag("--avoid-ephemeral", o.avoid_ephemeral,
                 "keep every block out of the kernel's ephemeral ports (net.ipv4.ip_local_port_range)");
    app.add_option("--ephemeral-range", o.ephemeral_range, "LO-HI: keep every block out of this range instead");
    app.add_option("--node", o.node, "the node name in the index (default: the symlink's directory)");
    app.add_option("--lock-timeout", lock_timeout, "seconds to wait for another generator or indexer")
        ->capture_default_str()
        ->check(CLI::Range(0, 86400));
    app.add_flag("-v,--verbose", o.verbose, "also say when nothing changed");
    app.add_option("NETWORK", arg_networks, "client networks: CIDR or CIDR:N (replace --network and the config "
                                            "file's list)");
    if (int rc = cli::parse(app, argc, argv); rc >= 0)
        return rc;

    return cli::run("natfw-generate", cli::ExitStatus::failed, [&] {
        if (!arg_networks.empty())
            o.networks = arg_networks;
        o.stamp = stamp ? *stamp : static_cast<std::int64_t>(std::time(nullptr));
        if (format == "nft") {
            o.format = RulesetFormat::nft;
            if (write_opt->count() == 0)
                link = k_default_nft_file;
            if (reload_opt->count() == 0)
                reload = "nft -f " + link;
        }
        o.link = link;
        if (no_reload)
            o.reload.reset();
        else
            o.reload = reload;
        o.update_index = !no_index;
        o.db = db_path;
        o.lock_timeout = std::chrono::seconds(lock_timeout);
        return cli::ok_or_failed(run_generate(o, std::cout, std::cerr));
    });
}
