import Foundation
import StrataTestSupport
import Testing
@testable import StrataLiquibase

/// The same changelog written in XML, YAML, JSON and formatted SQL gives the same changesets.
@Suite struct FormatEquivalenceTests {
    static let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
            <property name="table" value="person"/>
            <changeSet id="1" author="ann" context="test and !prod" labels="v1,core" runOnChange="true" runInTransaction="false">
                <comment>creates ${table}</comment>
                <preConditions onFail="MARK_RAN">
                    <sqlCheck expectedResult="0">select count(*) from ${table}</sqlCheck>
                </preConditions>
                <sql splitStatements="true" stripComments="false">create table ${table} (id int)</sql>
                <rollback>
                    <sql splitStatements="true">drop table ${table}</sql>
                </rollback>
            </changeSet>
            <changeSet id="2" author="bob" dbms="postgresql" failOnError="false">
                <sql splitStatements="true" stripComments="false">insert into person values (1); insert into person values (2)</sql>
            </changeSet>
        </databaseChangeLog>
        """

    static let yaml = """
        databaseChangeLog:
          - property:
              name: table
              value: person
          - changeSet:
              id: 1
              author: ann
              context: test and !prod
              labels: v1,core
              runOnChange: true
              runInTransaction: false
              comment: creates ${table}
              preConditions:
                - onFail: MARK_RAN
                - sqlCheck:
                    expectedResult: 0
                    sql: select count(*) from ${table}
              changes:
                - sql:
                    splitStatements: true
                    stripComments: false
                    sql: create table ${table} (id int)
              rollback:
                - sql:
                    splitStatements: true
                    sql: drop table ${table}
          - changeSet:
              id: 2
              author: bob
              dbms: postgresql
              failOnError: false
              changes:
                - sql:
                    splitStatements: true
                    stripComments: false
                    sql: insert into person values (1); insert into person values (2)
        """

    static let json = """
        {"databaseChangeLog": [
          {"property": {"name": "table", "value": "person"}},
          {"changeSet": {
            "id": "1", "author": "ann", "context": "test and !prod", "labels": "v1,core",
            "runOnChange": true, "runInTransaction": false, "comment": "creates ${table}",
            "preConditions": [{"onFail": "MARK_RAN"}, {"sqlCheck": {"expectedResult": "0", "sql": "select count(*) from ${table}"}}],
            "changes": [{"sql": {"splitStatements": true, "stripComments": false, "sql": "create table ${table} (id int)"}}],
            "rollback": [{"sql": {"splitStatements": true, "sql": "drop table ${table}"}}]
          }},
          {"changeSet": {
            "id": "2", "author": "bob", "dbms": "postgresql", "failOnError": false,
            "changes": [{"sql": {"splitStatements": true, "stripComments": false, "sql": "insert into person values (1); insert into person values (2)"}}]
          }}
        ]}
        """

    static let sql = """
        --liquibase formatted sql
        --property name:table value:person

        --changeset ann:1 context:"test and !prod" labels:v1,core runOnChange:true runInTransaction:false
        --comment: creates ${table}
        --preconditions onFail:MARK_RAN
        --precondition-sql-check expectedResult:0 select count(*) from ${table}
        create table ${table} (id int)
        --rollback drop table ${table}

        --changeset bob:2 dbms:postgresql failOnError:false
        insert into person values (1); insert into person values (2)
        """

    /// The changesets with what legitimately differs between files (paths, lines) made equal.
    static func comparable(_ changelog: LiquibaseChangelog) -> [ChangeSet] {
        changelog.changeSets.map { changeSet in
            var changeSet = changeSet
            let location = ChangelogLocation(file: "changelog", line: 0)
            changeSet.location = location
            changeSet.filePath = "changelog"
            changeSet.physicalPath = "changelog"
            changeSet.preconditions?.location = location
            return changeSet
        }
    }

    @Test func fourFormatsGiveEqualChangeSets() throws {
        let folder = TemporaryFolder()
        var loaded: [String: [ChangeSet]] = [:]
        for (name, text) in ["changelog.xml": Self.xml, "changelog.yaml": Self.yaml, "changelog.json": Self.json, "changelog.sql": Self.sql] {
            folder.write(name, text)
            loaded[name] = Self.comparable(try LiquibaseChangelog.load(path: name, searchPath: folder.path))
        }
        let reference = try #require(loaded["changelog.xml"])
        #expect(reference.count == 2)
        #expect(reference.first?.comment == "creates person")
        #expect(reference.first?.preconditions?.conditions == [.sqlCheck(expected: "0", sql: "select count(*) from person")])
        for (name, changeSets) in loaded {
            #expect(changeSets == reference, "\(name)")
        }
        #expect(try reference[1].statements(for: .postgresql).map(\.sql) == ["insert into person values (1);", "insert into person values (2);"])
    }
}
