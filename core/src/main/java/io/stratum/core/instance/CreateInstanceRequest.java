package io.stratum.core.instance;

import java.util.List;
import java.util.Map;

/** {@code db create} as sent over the API; null means "not given" (defaults apply). */
public record CreateInstanceRequest(String name, String engine, String version, String instanceClass, Integer storage,
                                    Integer maxStorage, String stack, String stage, Integer port, String database,
                                    String masterUser, Boolean publicAccess, List<String> securityGroups,
                                    Integer backupRetention, String backupWindow, Boolean deletionProtection,
                                    Map<String, String> params, String tls, String backupStore) {}
