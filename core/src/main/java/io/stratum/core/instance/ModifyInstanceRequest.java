package io.stratum.core.instance;

import java.util.List;
import java.util.Map;

/** {@code db modify}: only the given fields change. Class and static parameters wait for a reboot unless applyImmediately. */
public record ModifyInstanceRequest(String instanceClass, Integer storage, Integer maxStorage, Map<String, String> params,
                                    Boolean deletionProtection, Integer backupRetention, String backupWindow,
                                    List<String> securityGroups, String tls, Boolean applyImmediately) {}
