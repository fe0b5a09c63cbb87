<?xml version="1.0" encoding="UTF-8"?>
<!--
  Edits the domain.xml of a domain the build creates (asadmin create-domain) for a test node on
  loopback, before it first starts (demo/PayaraDemo.java applies it to the demo's domain as well):
  - every listener of the server's configuration and of default-config, the configuration new
    instances copy (HTTP, admin, IIOP, JMX), binds 127.0.0.1 instead of
    0.0.0.0, as does Payara's own Hazelcast data grid (interface, DAS bind address, no bind to
    any interface); the embedded JMS broker, which would listen on every interface, is disabled;
  - the checkpoint settings of this node become system properties of the domain's server, the
    elements 'asadmin create-system-properties checkpoint.<name>=<value>' writes: 'properties' is a
    list of name=value separated by ';'.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="xml" indent="no"/>
  <xsl:param name="properties" select="''"/>
  <!-- Members of the domain's data grid, 'host:port,host:port', for a domain with instances:
       Payara's default discovery ('domain') looks for a DAS on loopback at the machine's own
       non-loopback address, which a loopback-only DAS never answers, so such a domain lists its
       members (discovery 'tcpip') under a data-grid name of its own. Empty: the defaults. -->
  <xsl:param name="dataGridMembers" select="''"/>
  <!-- The data grid's name when its members are listed (demo/PayaraDemo.java sets its own). -->
  <xsl:param name="dataGridName" select="'deployment-group-it'"/>

  <xsl:template match="@*|node()">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="config[@name='server-config' or @name='default-config']//network-listener
                       | config[@name='server-config' or @name='default-config']//iiop-listener
                       | config[@name='server-config' or @name='default-config']//jmx-connector">
    <xsl:copy>
      <xsl:copy-of select="@*[name() != 'address']"/>
      <xsl:attribute name="address">127.0.0.1</xsl:attribute>
      <xsl:apply-templates select="node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="hazelcast-runtime-configuration">
    <xsl:copy>
      <xsl:copy-of select="@*[name() != 'interface' and name() != 'das-bind-address']"/>
      <xsl:attribute name="interface">127.0.0.1</xsl:attribute>
      <xsl:attribute name="das-bind-address">127.0.0.1</xsl:attribute>
      <xsl:if test="$dataGridMembers != ''">
        <xsl:attribute name="discovery-mode">tcpip</xsl:attribute>
        <xsl:attribute name="tcpip-members"><xsl:value-of select="$dataGridMembers"/></xsl:attribute>
        <xsl:attribute name="cluster-group-name"><xsl:value-of select="$dataGridName"/></xsl:attribute>
      </xsl:if>
      <xsl:apply-templates select="node()"/>
    </xsl:copy>
  </xsl:template>

  <!-- Hazelcast binds every interface unless told not to, whatever its interface setting. -->
  <xsl:template match="config[@name='server-config' or @name='default-config']/java-config">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
      <jvm-options>-Dhazelcast.socket.bind.any=false</jvm-options>
    </xsl:copy>
  </xsl:template>

  <!-- The embedded JMS broker (started by the first application deployed) binds every interface;
       no test uses JMS. A created domain's server configuration has no jms-service element (all
       defaults: embedded). -->
  <xsl:template match="config[@name='server-config'][not(jms-service)]">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
      <jms-service type="DISABLED"/>
    </xsl:copy>
  </xsl:template>

  <!-- default-config is what 'asadmin create-instance' copies for a new instance of the domain:
       its embedded JMS broker is disabled as well. -->
  <xsl:template match="config[@name='default-config']/jms-service">
    <xsl:copy>
      <xsl:copy-of select="@*[name() != 'type']"/>
      <xsl:attribute name="type">DISABLED</xsl:attribute>
      <xsl:apply-templates select="node()"/>
    </xsl:copy>
  </xsl:template>

  <!-- EJB timers are kept in Payara's data grid, on the DAS (server-config) as on the instances
       (default-config): a deployment group's automatic persistent timers are created once for
       the group, by the DAS at the deployment or by the first instance that finds none in the data
       grid; an instance fires the timers it owns and takes over those of an instance that left
       the data grid. With the DAS on its default (Database), the DAS keeps what it creates to
       itself. -->
  <xsl:template match="config[@name='server-config' or @name='default-config']/ejb-container/ejb-timer-service">
    <xsl:copy>
      <xsl:copy-of select="@*[name() != 'ejb-timer-service']"/>
      <xsl:attribute name="ejb-timer-service">DataGrid</xsl:attribute>
      <xsl:apply-templates select="node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="servers/server[@name='server']">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
      <xsl:call-template name="system-properties">
        <xsl:with-param name="list" select="$properties"/>
      </xsl:call-template>
    </xsl:copy>
  </xsl:template>

  <xsl:template name="system-properties">
    <xsl:param name="list"/>
    <xsl:variable name="head" select="normalize-space(substring-before(concat($list, ';'), ';'))"/>
    <xsl:if test="$head != ''">
      <system-property name="{substring-before($head, '=')}" value="{substring-after($head, '=')}"/>
    </xsl:if>
    <xsl:if test="contains($list, ';')">
      <xsl:call-template name="system-properties">
        <xsl:with-param name="list" select="substring-after($list, ';')"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
