-- vpn-user-portal 3.x connection_log, exactly the contract's columns.
CREATE TABLE connection_log (
    user_id VARCHAR(255) NOT NULL,
    profile_id VARCHAR(255) NOT NULL,
    vpn_proto VARCHAR(255) NOT NULL,
    connection_id VARCHAR(255) NOT NULL,
    ip_four VARCHAR(255) NOT NULL,
    ip_six VARCHAR(255) NOT NULL,
    connected_at VARCHAR(255) NOT NULL,
    bytes_in INTEGER DEFAULT NULL,
    bytes_out INTEGER DEFAULT NULL,
    disconnected_at VARCHAR(255) DEFAULT NULL
);
INSERT INTO connection_log VALUES ('frank', 'students', 'openvpn', '7e1d3c5b9a0f2e4d6c8b1a3f5e7d9c0b', '10.66.0.3', 'fd66::3', '2020-12-31T22:50:00+00:00', 1200, 34000, '2020-12-31T23:20:00+00:00');
INSERT INTO connection_log VALUES ('heidi', 'students', 'openvpn', '9f8e7d6c5b4a39281706f5e4d3c2b1a0', '10.66.0.2', 'fd66::2', '2021-01-01T01:00:00+00:00', NULL, NULL, NULL);
INSERT INTO connection_log VALUES ('judy', 'staff', 'wireguard', 'SnVkeSdzIFdpcmVHdWFyZCBwdWJsaWMga2V5IGhlcmUhPQ==', '10.77.0.5', 'fd77::5', 'yesterday', NULL, NULL, NULL);
